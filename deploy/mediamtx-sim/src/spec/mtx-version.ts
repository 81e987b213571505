/** The MediaMTX versions the simulator can impersonate. */
export const MTX_VERSIONS = ["v1.20.1", "v1.9.3"] as const;

/** One of `MTX_VERSIONS`. */
export type MtxVersion = (typeof MTX_VERSIONS)[number];

/** True for the modern API (JSON envelopes, redaction, `available*`, ...). */
export function isModern(version: MtxVersion): boolean {
  return version !== "v1.9.3";
}
