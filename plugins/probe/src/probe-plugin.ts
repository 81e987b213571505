import { createProbePlugin } from "./create-probe-plugin.ts";
import { realProbeEngine } from "./real-probe-engine.ts";

/** The built-in probe plugin: tier 1 from the shared snapshot, tier 2 with ffmpeg (`deep/`). */
export const probePlugin = createProbePlugin(realProbeEngine);
