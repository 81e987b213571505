/** Per-request timeout of the MediaMTX client (one HTTP round trip, body included). */
export const DEFAULT_TIMEOUT_MS = 5_000;

/** Page size for every `/list` walk; MediaMTX's own default. */
export const DEFAULT_ITEMS_PER_PAGE = 100;

/** Interval between two snapshot polls. */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
