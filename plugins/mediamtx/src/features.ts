/**
 * What a MediaMTX node can do, derived from its version (CONTRACT §11). Every flag is the
 * answer to "does this node have X", so callers never compare version strings themselves.
 */
export interface MediaMtxFeatures {
  /** `GET /v3/info` exists (v1.15.2+). */
  readonly info: boolean;
  /** Every reply carries `{"status": ...}` (v1.15.5+); older nodes send empty success bodies. */
  readonly jsonEnvelope: boolean;
  /** Paths have `available*`/`online*` (v1.16.0+); older nodes only `ready*`. */
  readonly available: boolean;
  /** `inboundBytes`/`outboundBytes`/`inboundFramesInError`/`tracks2` (v1.17.0+). */
  readonly inboundBytes: boolean;
  /** `/v3/hlssessions/*` and `hlsSession` readers (v1.18.0+). */
  readonly hlsSessions: boolean;
  /** Media-over-QUIC server and `/v3/moqsessions/*` (v1.19.0+). */
  readonly moq: boolean;
  /** `runOnAvailable`/`runOnUnavailable` hook names (v1.19.3+); older nodes know `runOnReady`. */
  readonly runOnAvailable: boolean;
  /** Native `forward` and `/v3/paths/forward/*` (v1.20.0+). */
  readonly forward: boolean;
  /** Passwords come back as `<redacted>` (v1.20.1+). */
  readonly redactsSecrets: boolean;
}

/** The first version that has each feature. */
export const FEATURE_SINCE = {
  info: "v1.15.2",
  jsonEnvelope: "v1.15.5",
  available: "v1.16.0",
  inboundBytes: "v1.17.0",
  hlsSessions: "v1.18.0",
  moq: "v1.19.0",
  runOnAvailable: "v1.19.3",
  forward: "v1.20.0",
  redactsSecrets: "v1.20.1",
} as const satisfies Record<keyof MediaMtxFeatures, string>;

type Triple = readonly [number, number, number];

/**
 * Parses the leading `vX.Y.Z` of a MediaMTX version (`v1.20.1`, `v1.20.1-6-g3e09466c`,
 * `v1.20.1-dirty`). Returns null for `v0.0.0` (built without git metadata) and for anything
 * that is not a version.
 */
export function parseMediaMtxVersion(version: string): Triple | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (m === null) return null;
  const triple = [Number(m[1]), Number(m[2]), Number(m[3])] as const;
  return triple[0] === 0 && triple[1] === 0 && triple[2] === 0 ? null : triple;
}

function atLeast(v: Triple, since: string): boolean {
  const s = parseMediaMtxVersion(since) ?? [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const a = v[i] ?? 0;
    const b = s[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/**
 * Features of a node. `version: null` means `/v3/info` does not exist, i.e. the node is older
 * than v1.15.2, so it has none of the listed features. A version that cannot be parsed (a dev
 * build `v0.0.0`) is assumed current; the client refines that guess by sniffing shapes.
 */
export function featuresForVersion(version: string | null): MediaMtxFeatures {
  const keys = Object.keys(FEATURE_SINCE) as (keyof MediaMtxFeatures)[];
  const parsed = version === null ? null : parseMediaMtxVersion(version);
  const entries = keys.map((k) => {
    if (version === null) return [k, false] as const;
    if (parsed === null) return [k, true] as const;
    return [k, atLeast(parsed, FEATURE_SINCE[k])] as const;
  });
  return Object.freeze(Object.fromEntries(entries) as unknown as MediaMtxFeatures);
}
