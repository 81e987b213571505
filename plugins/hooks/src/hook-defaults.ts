// Defaults shared by the mtx-hook wrapper and the hooks plugin. This module (like everything
// the wrapper imports) uses no packages at all: the wrapper runs once per hook and must start
// about as fast as a bare `node -e 0`.

/** The receiver listens on loopback only unless the plugin config says otherwise. */
export const DEFAULT_RECEIVER_HOST = "127.0.0.1";
export const DEFAULT_RECEIVER_PORT = 9811;
/** The wrapper's agent URL: the receiver's defaults. */
export const DEFAULT_RECEIVER_URL = `http://${DEFAULT_RECEIVER_HOST}:${DEFAULT_RECEIVER_PORT}`;

/**
 * The plugin's own directory under the agent's default data dir (`ctx.dataDir` of plugin
 * `hooks`). The plugin keeps its token and spool there unless configured otherwise, so the
 * wrapper's defaults find them without any flag.
 */
export const DEFAULT_HOOKS_DIR = "/var/lib/mtx-agent/plugins/hooks";
export const DEFAULT_TOKEN_FILE = `${DEFAULT_HOOKS_DIR}/token`;
export const DEFAULT_SPOOL_DIR = `${DEFAULT_HOOKS_DIR}/spool`;

/**
 * How long the wrapper waits for the agent's answer before it spools. Short: MediaMTX waits for
 * closing hooks on shutdown, and the receiver answers after one fdatasync (about a millisecond).
 */
export const DEFAULT_WRAPPER_TIMEOUT_MS = 2_000;

/** The receiver's routes: `POST /v1/mediamtx/events/<hook>`. */
export const HOOK_ROUTE_PREFIX = "/v1/mediamtx/events/";

/**
 * The largest value one variable can have: Linux refuses to exec with a single environment
 * string over MAX_ARG_STRLEN (32 pages = 128 KiB), so MediaMTX cannot hand a hook more.
 */
export const MAX_VALUE_BYTES = 128 * 1024;

/**
 * The largest request body the receiver reads: every variable twice (field and `env`) at the
 * kernel's limit fits, and so does the outbox's 1 MiB event limit with room for the envelope.
 */
export const MAX_BODY_BYTES = 896 * 1024;
