import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { PLUGIN_STATE_KINDS, type PluginState } from "./plugin-state.ts";

/** The host's own metrics about plugins (`mtx_agent_plugin_*`). */
export interface HostMetrics {
  state(plugin: string, state: PluginState): void;
  restart(plugin: string): void;
  error(plugin: string): void;
  call(plugin: string, call: string, seconds: number): void;
  forget(plugin: string): void;
}

export function createHostMetrics(registry: Registry): HostMetrics {
  const registers = [registry];
  const stateGauge = new Gauge({
    name: "mtx_agent_plugin_state",
    help: "1 for the state each plugin is in, 0 for the others",
    labelNames: ["plugin", "state"],
    registers,
  });
  const restarts = new Counter({
    name: "mtx_agent_plugin_restarts_total",
    help: "Restarts of a plugin after a failure",
    labelNames: ["plugin"],
    registers,
  });
  const errors = new Counter({
    name: "mtx_agent_plugin_errors_total",
    help: "Failures of a plugin (throws, timeouts, failed tasks or handlers)",
    labelNames: ["plugin"],
    registers,
  });
  const calls = new Histogram({
    name: "mtx_agent_plugin_call_duration_seconds",
    help: "Duration of calls into plugins (setup, start, stop, reconfigure, health)",
    labelNames: ["plugin", "call"],
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30],
    registers,
  });
  return {
    state: (plugin, state) => {
      for (const kind of PLUGIN_STATE_KINDS)
        stateGauge.set({ plugin, state: kind }, kind === state.kind ? 1 : 0);
      restarts.inc({ plugin }, 0);
      errors.inc({ plugin }, 0);
    },
    restart: (plugin) => restarts.inc({ plugin }),
    error: (plugin) => errors.inc({ plugin }),
    call: (plugin, call, seconds) => calls.observe({ plugin, call }, seconds),
    forget: (plugin) => {
      for (const kind of PLUGIN_STATE_KINDS) stateGauge.remove({ plugin, state: kind });
      restarts.remove({ plugin });
      errors.remove({ plugin });
    },
  };
}
