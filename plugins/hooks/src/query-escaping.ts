import { type MediaMtxClient, parseMediaMtxVersion } from "@mtx-fleet/mediamtx";
import type { Logger } from "@mtx-fleet/plugin-api";
import type { HooksConfig } from "./hooks-config.ts";
import { queryLooksEscaped } from "./unescape-query.ts";

/** MediaMTX escapes `MTX_QUERY` once more from this version on (CONTRACT §4.2). */
const ESCAPED_SINCE = [1, 18, 1] as const;

/** Whether a node's version escapes `MTX_QUERY`; null when the version says nothing useful. */
export function escapesQuery(version: string | null): boolean {
  // No /v3/info at all: older than v1.15.2, so it does not escape.
  if (version === null) return false;
  const parsed = parseMediaMtxVersion(version);
  // A dev build (v0.0.0) is current code.
  if (parsed === null) return true;
  for (let i = 0; i < 3; i++) {
    if (parsed[i] !== ESCAPED_SINCE[i]) return (parsed[i] ?? 0) > (ESCAPED_SINCE[i] ?? 0);
  }
  return true;
}

/**
 * Decides per query whether it arrived escaped: from the config when it says so, else from the
 * node's version (asked once through the client's cached `/v3/info`, again after MediaMTX comes
 * back, since it may have been upgraded), and while the version is unknown from the query itself.
 */
export class QueryEscaping {
  readonly #mode: HooksConfig["queryEscaping"];
  readonly #client: MediaMtxClient;
  readonly #logger: Logger;
  #byVersion: boolean | null = null;
  #asking = false;

  constructor(mode: HooksConfig["queryEscaping"], client: MediaMtxClient, logger: Logger) {
    this.#mode = mode;
    this.#client = client;
    this.#logger = logger;
  }

  /** Asks the node's version (in the background); `refresh` after MediaMTX was away. */
  learn(refresh = false): void {
    if (this.#mode !== "auto" || this.#asking || (this.#byVersion !== null && !refresh)) return;
    this.#asking = true;
    this.#client
      .info(refresh ? { refresh: true } : {})
      .then(({ version }) => {
        this.#byVersion = escapesQuery(version);
        this.#logger.debug(
          { version, queryEscaped: this.#byVersion },
          "MTX_QUERY escaping from the node's version",
        );
      })
      .catch(() => {
        // Unknown for now: the query's own shape decides until the next try.
      })
      .finally(() => {
        this.#asking = false;
      });
  }

  escaped(query: string): boolean {
    if (this.#mode !== "auto") return this.#mode === "escaped";
    return queryLooksEscaped(query, this.#byVersion);
  }
}
