import { resolve } from "node:path";
import type { SimulatorOptions } from "./simulator-options.ts";
import { MTX_VERSIONS, type MtxVersion } from "./spec/mtx-version.ts";

/** Default control endpoint of a bare run (tests pass `--control-address 127.0.0.1:0`). */
export const DEFAULT_CONTROL_ADDRESS = "127.0.0.1:9990";

/**
 * Parses `mediamtx-sim [mediamtx.yml] [--mimic V] [--scale N] [--demo] [--control-address A]
 * [--work-dir D] [--validate-responses] [--apply-delay-ms N] [--hls-session-close-after-ms N]
 * [--rtsp-listen-address A]`.
 */
export function parseArgs(argv: readonly string[]): SimulatorOptions {
  let configPath: string | undefined;
  let version: MtxVersion = "v1.20.1";
  let scale = 0;
  let demo = false;
  let controlAddress = DEFAULT_CONTROL_ADDRESS;
  let workDir = process.cwd();
  let validateResponses = false;
  let applyDelayMs: number | undefined;
  let hlsSessionCloseAfterMs: number | undefined;
  let rtspListenAddress: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--mimic": {
        const v = value();
        if (!MTX_VERSIONS.includes(v as MtxVersion))
          throw new Error(`--mimic must be one of ${MTX_VERSIONS.join(", ")}`);
        version = v as MtxVersion;
        break;
      }
      case "--scale":
        scale = Number(value());
        if (!Number.isInteger(scale) || scale < 0) throw new Error("--scale must be a non-negative integer");
        break;
      case "--demo":
        demo = true;
        break;
      case "--control-address":
        controlAddress = value();
        break;
      case "--work-dir":
        workDir = resolve(value());
        break;
      case "--validate-responses":
        validateResponses = true;
        break;
      case "--apply-delay-ms":
        applyDelayMs = Number(value());
        break;
      case "--rtsp-listen-address":
        rtspListenAddress = value();
        break;
      case "--hls-session-close-after-ms":
        hlsSessionCloseAfterMs = Number(value());
        if (!Number.isInteger(hlsSessionCloseAfterMs) || hlsSessionCloseAfterMs <= 0)
          throw new Error("--hls-session-close-after-ms must be a positive integer");
        break;
      default:
        if (arg.startsWith("--") || configPath !== undefined) throw new Error(`unknown argument ${arg}`);
        configPath = resolve(arg);
    }
  }
  const base = { configPath, version, scale, demo, controlAddress, workDir, validateResponses };
  return {
    ...base,
    ...(applyDelayMs === undefined ? {} : { applyDelayMs }),
    ...(hlsSessionCloseAfterMs === undefined ? {} : { hlsSessionCloseAfterMs }),
    ...(rtspListenAddress === undefined ? {} : { rtspListenAddress }),
  };
}
