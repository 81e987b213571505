import type { components } from "./gen/openapi.ts";

/** A path configuration as MediaMTX v1.20 describes it (every key optional). */
export type PathConf = components["schemas"]["PathConf"];

/** The global configuration as MediaMTX v1.20 describes it (every key optional). */
export type GlobalConf = components["schemas"]["GlobalConf"];

/** The `/v3/info` reply. */
export type InfoReply = components["schemas"]["Info"];
