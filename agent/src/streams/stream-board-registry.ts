import type { HealthReason, StreamBoard, StreamHealth, StreamVerdict } from "@mtx-fleet/plugin-api";

/** Worst first: the combined verdict of a path is the worst any plugin reported. */
const SEVERITY: Readonly<Record<StreamVerdict, number>> = {
  unhealthy: 3,
  degraded: 2,
  unknown: 1,
  healthy: 0,
};

/** Something that removes a registration when a plugin's run ends (its `PluginScope`). */
export interface BoardScope {
  add(dispose: () => void): unknown;
}

/**
 * Collects what plugins report about streams (health, own readers), per plugin, and combines
 * it per path for the local API and telemetry. A plugin's reports vanish when its run ends.
 */
export class StreamBoardRegistry {
  readonly #health = new Map<string, Map<string, StreamHealth>>();
  readonly #ownReaders = new Map<string, Map<string, number>>();

  /** The board a plugin writes to; everything it set is removed when `scope` ends. */
  forPlugin(plugin: string, scope: BoardScope): StreamBoard {
    // The cleanup is registered on first use, so a plugin that reports nothing holds nothing.
    let registered = false;
    const touch = (): void => {
      if (registered) return;
      registered = true;
      scope.add(() => {
        for (const path of [...this.#health.keys()]) remove(this.#health, path, plugin);
        for (const path of [...this.#ownReaders.keys()]) remove(this.#ownReaders, path, plugin);
      });
    };
    return {
      setHealth: (path, health) => {
        touch();
        set(this.#health, path, plugin, health);
      },
      clearHealth: (path) => remove(this.#health, path, plugin),
      setOwnReaders: (path, count) => {
        touch();
        if (count > 0) set(this.#ownReaders, path, plugin, Math.floor(count));
        else remove(this.#ownReaders, path, plugin);
      },
    };
  }

  /** The combined health of `path` (worst verdict, all reasons), or undefined when none. */
  health(path: string): StreamHealth | undefined {
    const reports = [...(this.#health.get(path)?.values() ?? [])];
    if (reports.length === 0) return undefined;
    if (reports.length === 1) return reports[0];
    const worst = reports.reduce((a, b) => (SEVERITY[b.verdict] > SEVERITY[a.verdict] ? b : a));
    const reasons: HealthReason[] = reports.flatMap((report) => report.reasons);
    return {
      verdict: worst.verdict,
      reasons,
      values: Object.assign({}, ...reports.map((report) => report.values)),
      checkedAt: Math.max(...reports.map((report) => report.checkedAt)),
      since: worst.since,
    };
  }

  /** Readers of `path` opened by the agent itself (never shown as viewers). */
  ownReaders(path: string): number {
    let total = 0;
    for (const count of this.#ownReaders.get(path)?.values() ?? []) total += count;
    return total;
  }
}

function set<V>(map: Map<string, Map<string, V>>, path: string, plugin: string, value: V): void {
  let byPlugin = map.get(path);
  if (byPlugin === undefined) {
    byPlugin = new Map();
    map.set(path, byPlugin);
  }
  byPlugin.set(plugin, value);
}

function remove<V>(map: Map<string, Map<string, V>>, path: string, plugin: string): void {
  const byPlugin = map.get(path);
  byPlugin?.delete(plugin);
  if (byPlugin?.size === 0) map.delete(path);
}
