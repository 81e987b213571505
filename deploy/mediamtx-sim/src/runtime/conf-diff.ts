import { isDeepStrictEqual } from "node:util";
import type { PathConf } from "../config/merged-path-conf.ts";

const RECORD_KEYS = [
  "record",
  "recordPath",
  "recordFormat",
  "recordPartDuration",
  "recordMaxPartSize",
  "recordSegmentDuration",
  "recordDeleteAfter",
];
const HOT_KEYS = new Set([
  ...RECORD_KEYS,
  "forward",
  ...[
    "Brightness",
    "Contrast",
    "Saturation",
    "Sharpness",
    "Exposure",
    "FlickerPeriod",
    "AWB",
    "AWBGains",
    "Denoise",
    "Shutter",
    "Metering",
    "Gain",
    "EV",
    "FPS",
    "TextOverlayEnable",
    "TextOverlay",
    "IDRPeriod",
    "Bitrate",
  ].map((k) => `rpiCamera${k}`),
]);

/** What a path config change does to a running path (`pathConfCanBeUpdated`). */
export type PathConfChange = "none" | "hot" | "record" | "close";

/** Classifies the difference between two merged path configs. */
export function pathConfChange(a: PathConf, b: PathConf): PathConfChange {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let result: PathConfChange = "none";
  for (const k of keys) {
    if (isDeepStrictEqual(a[k], b[k])) continue;
    if (!HOT_KEYS.has(k)) return "close";
    if (RECORD_KEYS.includes(k)) result = "record";
    else if (result === "none") result = "hot";
  }
  return result;
}

/** Global keys whose change restarts the path manager (closes every path). */
export function restartsPathManager(key: string): boolean {
  return (
    /^(logLevel|logDestinations|logFile|logStructured|sysLogPrefix|authMethod|readTimeout|writeTimeout|dumpPackets|writeQueueSize|udpReadBufferSize|udpMaxPayloadSize|rtspAddress|rtspEncryption|encryption)$/.test(
      key,
    ) ||
    key.startsWith("authHTTP") ||
    key.startsWith("authJWT") ||
    key.startsWith("metrics")
  );
}
