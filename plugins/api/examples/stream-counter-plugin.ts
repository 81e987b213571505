// A complete example plugin: counts the streams MediaMTX has available, from the agent's shared
// snapshot (no extra API calls), exports the count as a metric, serves it on a route and
// announces changes on the event bus. Run it in an agent with:
//
//   plugins:
//     stream-counter:
//       module: /path/to/plugins/api/examples/stream-counter-plugin.ts
//       config: { logEveryChange: true }
import { definePlugin, Type } from "@mtx-fleet/plugin-api";

// Plugins extend the typed event map by module augmentation.
declare module "@mtx-fleet/plugin-api" {
  interface MtxEvents {
    "stream-counter.changed": { readonly available: number; readonly total: number };
  }
}

export default definePlugin({
  manifest: {
    name: "stream-counter",
    version: "1.0.0",
    apiRange: "^1.0.0",
    description: "Counts available MediaMTX streams",
  },
  // The schema validates the config and documents it (JSON Schema for the console).
  config: Type.Object(
    {
      logEveryChange: Type.Boolean({ default: false, description: "Log each change at info." }),
    },
    { additionalProperties: false },
  ),
  setup(ctx, config) {
    let counts = { available: 0, total: 0 };
    const available = ctx.metrics.gauge({
      name: "available_streams",
      help: "Streams MediaMTX can serve now",
    });
    return {
      start() {
        // Everything registered through ctx is removed by the host when the plugin stops.
        ctx.mediamtx.subscribe((event) => {
          if (event.type !== "snapshot") return;
          const next = {
            available: event.snapshot.paths.filter((path) => path.available).length,
            total: event.snapshot.paths.length,
          };
          if (next.available === counts.available && next.total === counts.total) return;
          counts = next;
          available.set(next.available);
          ctx.events.emit("stream-counter.changed", next);
          if (config.logEveryChange) ctx.logger.info(next, "stream count changed");
        });
        ctx.http.route("GET", "/counts", () => ({ body: counts }));
      },
      health: () =>
        ctx.mediamtx.current()?.stale === false
          ? { status: "ok" }
          : { status: "degraded", reason: "no fresh snapshot" },
    };
  },
});
