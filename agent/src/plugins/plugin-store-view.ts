import type { PluginStore } from "@mtx-fleet/plugin-api";
import type { StoreView } from "../store/index.ts";

/** A plugin's `PluginStore` on top of its namespaced view of the agent's local store. */
export function pluginStoreView(view: StoreView<Record<string, unknown>>): PluginStore {
  return {
    get: <T>(key: string) => view.read()[key] as T | undefined,
    set: async (key, value) => {
      await view.update((draft) => {
        draft[key] = value;
        return draft;
      });
    },
    delete: async (key) => {
      await view.update((draft) => {
        delete draft[key];
        return draft;
      });
    },
    keys: () => Object.keys(view.read()),
  };
}
