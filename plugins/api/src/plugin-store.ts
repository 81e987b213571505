/**
 * A plugin's own small, durable JSON state (namespaced: it sees only its keys). Writes are
 * atomic and survive a crash; keep values small (cursors, settings), not time series.
 */
export interface PluginStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): readonly string[];
}
