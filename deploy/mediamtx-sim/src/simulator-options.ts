import type { MtxVersion } from "./spec/mtx-version.ts";

/** Command-line options of `mediamtx-sim`. */
export interface SimulatorOptions {
  readonly configPath: string | undefined;
  readonly version: MtxVersion;
  readonly scale: number;
  readonly demo: boolean;
  readonly controlAddress: string;
  readonly workDir: string;
  readonly validateResponses: boolean;
  readonly applyDelayMs?: number;
  /** Inactivity after which an HLS session closes (MediaMTX: 30 s, fixed; shorter for tests). */
  readonly hlsSessionCloseAfterMs?: number;
  /**
   * Where the RTSP server listens instead of `rtspAddress` (which hooks still see as
   * `RTSP_PORT`): lets test kits run yml files that keep MediaMTX's `:8554` side by side.
   */
  readonly rtspListenAddress?: string;
}
