/** The verdicts of a stream, best first; `unknown` is never shown as "off". */
export const STREAM_VERDICTS = ["healthy", "degraded", "unhealthy", "unknown"] as const;
/** See `STREAM_VERDICTS`. */
export type StreamVerdict = (typeof STREAM_VERDICTS)[number];

/** Why a stream is not healthy: a stable code, the severity it carries and a sentence. */
export interface HealthReason {
  /** Stable snake_case code, e.g. `stalled`, `black`, `frozen`, `silent`, `fps_drop`. */
  readonly code: string;
  readonly severity: "degraded" | "unhealthy" | "unknown";
  /** For people: what was measured against what was expected. */
  readonly message: string;
}

/** A plugin's current judgement of one stream, with the values it measured. */
export interface StreamHealth {
  readonly verdict: StreamVerdict;
  /** Empty when healthy. */
  readonly reasons: readonly HealthReason[];
  /** The latest measured values by name (`fps`, `width`, `bitrateBps`, `videoCodec`…). */
  readonly values: Readonly<Record<string, number | string | boolean>>;
  /** Epoch ms of the measurement the verdict rests on. */
  readonly checkedAt: number;
  /** Epoch ms since when the verdict has been this one. */
  readonly since: number;
}

/**
 * What plugins tell the agent about its streams, shown in the local API and sent to the hub in
 * telemetry. Each plugin's reports are its own; the agent combines them (worst verdict wins,
 * reasons joined) and removes them when the plugin stops.
 */
export interface StreamBoard {
  /** Sets this plugin's health of `path`, replacing its previous one. */
  setHealth(path: string, health: StreamHealth): void;
  clearHealth(path: string): void;
  /**
   * How many of `path`'s current readers this plugin opened itself (probe reads), so they are
   * never counted as viewers. Set it back to 0 when they are gone.
   */
  setOwnReaders(path: string, count: number): void;
}
