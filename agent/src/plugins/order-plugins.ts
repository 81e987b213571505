import { MtxError } from "@mtx-fleet/plugin-api";

/** A plugin's name and the names it depends on. */
export interface PluginNode {
  readonly name: string;
  readonly dependencies: readonly string[];
}

/** Start order plus the plugins that can never start, with the reason. */
export interface PluginOrder {
  readonly order: readonly string[];
  readonly rejected: ReadonlyMap<string, MtxError>;
}

/**
 * Orders plugins so each starts after its dependencies (stable: ties keep the given order).
 * A plugin with a missing dependency, in a cycle, or depending on a rejected plugin is rejected;
 * the others are still ordered.
 */
export function orderPlugins(nodes: readonly PluginNode[]): PluginOrder {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const rejected = new Map<string, MtxError>();
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();

  const visit = (name: string, stack: string[]): boolean => {
    if (rejected.has(name)) return false;
    if (state.get(name) === "done") return true;
    const node = byName.get(name);
    if (node === undefined) return false;
    if (state.get(name) === "visiting") {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      for (const member of cycle) {
        rejected.set(
          member,
          new MtxError("MTX_PLUGIN_DEPENDENCY_CYCLE", `plugins depend on each other: ${cycle.join(" → ")}`, {
            details: { cycle },
          }),
        );
      }
      return false;
    }
    state.set(name, "visiting");
    for (const dependency of node.dependencies) {
      if (!byName.has(dependency)) {
        rejected.set(
          name,
          new MtxError(
            "MTX_PLUGIN_MISSING_DEPENDENCY",
            `plugin '${name}' needs plugin '${dependency}', which is not enabled`,
            { details: { plugin: name, missing: [dependency] } },
          ),
        );
      } else if (!visit(dependency, [...stack, name]) && !rejected.has(name)) {
        const reason = rejected.get(dependency);
        rejected.set(
          name,
          new MtxError(
            "MTX_PLUGIN_MISSING_DEPENDENCY",
            `plugin '${name}' needs plugin '${dependency}', which cannot run: ${reason?.message ?? "rejected"}`,
            { details: { plugin: name, missing: [dependency] } },
          ),
        );
      }
    }
    state.set(name, "done");
    if (rejected.has(name)) return false;
    order.push(name);
    return true;
  };

  for (const node of nodes) visit(node.name, []);
  return { order, rejected };
}
