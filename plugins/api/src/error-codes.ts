/**
 * Every stable error code of MTX Fleet, with what it means and what to do.
 * Codes are never renamed or reused; `docs/errors.md` is checked against this table.
 */
export const ERROR_CODES = {
  MTX_INTERNAL: {
    meaning: "An unexpected failure inside MTX Fleet.",
    action: "Report it with the log line that carries the same requestId.",
  },
  MTX_INVALID_INPUT: {
    meaning: "A value given to MTX Fleet (argument, body, file, environment) is not valid.",
    action: "Read `details.issues`: each names the field and the fix.",
  },
  MTX_UNAUTHORIZED: {
    meaning: "The request carries no valid credential (token) for an action that needs one.",
    action: "Send `Authorization: Bearer <token>` with the configured token.",
  },
  MTX_FORBIDDEN: {
    meaning: "The credential is valid but not allowed to do this, or writes are disabled.",
    action: "Use a credential with the needed role; on the agent, set `localApi.token` to enable writes.",
  },
  MTX_NOT_FOUND: {
    meaning: "The requested object (plugin, stream, event, route) does not exist.",
    action: "List the collection first; check the id or name.",
  },
  MTX_MEDIAMTX_UNREACHABLE: {
    meaning: "The MediaMTX Control API could not be reached (connection refused, reset, DNS).",
    action: "Check that MediaMTX runs with `api: yes` and that `apiAddress` is reachable.",
  },
  MTX_MEDIAMTX_TIMEOUT: {
    meaning: "MediaMTX did not answer within the client's timeout.",
    action: "Check the node's load; raise `timeoutMs` only if MediaMTX is known to be slow.",
  },
  MTX_MEDIAMTX_UNAUTHORIZED: {
    meaning: "MediaMTX refused the credentials (HTTP 401) for the `api` action.",
    action: "Give the client a user with the `api` permission in `authInternalUsers`.",
  },
  MTX_MEDIAMTX_NOT_FOUND: {
    meaning: "MediaMTX has no such path, path configuration, connection or session (HTTP 404).",
    action: "List the objects first; runtime paths of regex configs vanish when idle.",
  },
  MTX_MEDIAMTX_INVALID_CONFIG: {
    meaning:
      "MediaMTX rejected a configuration write (HTTP 400); `details.mediamtxMessage` has its own words.",
    action: "Fix the value MediaMTX names; nothing was changed on the node.",
  },
  MTX_MEDIAMTX_BAD_REQUEST: {
    meaning: "MediaMTX rejected a read or an action as malformed (HTTP 400), e.g. bad pagination or id.",
    action: "Read `details.mediamtxMessage`; this is usually a bug in the caller.",
  },
  MTX_MEDIAMTX_PROTOCOL_DISABLED: {
    meaning: "The endpoint belongs to a protocol server that is disabled on the node (plain-text 404).",
    action: "Enable the protocol in mediamtx.yml, or treat its list as empty.",
  },
  MTX_MEDIAMTX_SERVER_ERROR: {
    meaning: "MediaMTX answered 5xx (shutting down, or an internal failure).",
    action: "Retry with backoff; check the MediaMTX log.",
  },
  MTX_MEDIAMTX_BAD_RESPONSE: {
    meaning: "MediaMTX answered something that is not the documented shape.",
    action: "Check the node's version; report the body kept in `details`.",
  },
  MTX_MEDIAMTX_REDACTED_SECRET: {
    meaning: "A write carried the literal `<redacted>` that MediaMTX returns instead of passwords.",
    action: "Send the real secret from your own source of truth, or leave the field out.",
  },
  MTX_MEDIAMTX_UNSUPPORTED: {
    meaning: "The node's MediaMTX version does not have this feature.",
    action: "Upgrade MediaMTX on the node (see `details.since`).",
  },
  MTX_PLUGIN_INVALID: {
    meaning:
      "A plugin could not be loaded, or what it exports is not a plugin definition with a valid manifest.",
    action: "Check the package name or path in the agent config and the plugin's `definePlugin` call.",
  },
  MTX_PLUGIN_API_MISMATCH: {
    meaning: "The plugin's `apiRange` does not include this agent's plugin API version.",
    action: "Install a plugin version built for this API (see `details.apiVersion`).",
  },
  MTX_PLUGIN_MISSING_DEPENDENCY: {
    meaning: "A plugin names a dependency that is not configured or not enabled.",
    action: "Enable the plugin named in `details.missing`, or remove the dependent plugin.",
  },
  MTX_PLUGIN_DEPENDENCY_CYCLE: {
    meaning: "Plugins depend on each other in a cycle, so none of them can start first.",
    action: "Break the cycle named in `details.cycle`.",
  },
  MTX_PLUGIN_TIMEOUT: {
    meaning:
      "A plugin did not finish a call (setup, start, stop, reconfigure, health) within its time limit.",
    action: "The host marks it failed and restarts it with backoff; check the plugin's log lines.",
  },
  MTX_PLUGIN_FAILED: {
    meaning: "A plugin threw from a call, a scheduled task or an event handler.",
    action: "The host restarts it with backoff; `details` and the log carry the original error.",
  },
  MTX_GRPC_CALL_FAILED: {
    meaning: "A gRPC call failed; `details.grpcCode` has the gRPC status.",
    action: "See the message; transient codes (UNAVAILABLE) are retried by the link.",
  },
  MTX_LINK_TIMEOUT: {
    meaning: "A command sent to an agent over its link was not answered before its deadline.",
    action: "Check the node's agent log for the command id; retry once the node is online and idle.",
  },
  MTX_NODE_OFFLINE: {
    meaning: "The node has no live link session with this hub, so the command could not be sent.",
    action: "Check that the node's agent runs and can reach the hub; see the node's `lastSeen`.",
  },
  MTX_NATS_UNAVAILABLE: {
    meaning:
      "The hub cannot reach NATS or its JetStream (refused, timed out, JetStream disabled) for its shared store.",
    action:
      "Check `nats.servers` and that nats-server runs with JetStream (`-js`); a running hub reconnects by itself.",
  },
  MTX_UNAVAILABLE: {
    meaning: "Something this needs is not running right now (e.g. no running plugin offers the action).",
    action: "Check `GET /api/v1/plugins` on the agent; the plugin may be failed or disabled.",
  },
  MTX_RATE_LIMITED: {
    meaning: "Too many attempts in a short time (login, on-demand probes).",
    action: "Wait for `details.retryAfterMs` and try again.",
  },
  MTX_PROBE_FAILED: {
    meaning: "A deep probe could not read the stream (ffprobe/ffmpeg failed, no media).",
    action: "See `details.stderr`; check the stream plays from the agent's host.",
  },
  MTX_PROBE_TIMEOUT: {
    meaning: "A deep probe did not finish within its hard timeout; its process tree was killed.",
    action: "Raise `probe.deep.timeoutMs` for slow sources, or check the source.",
  },
  MTX_PROBE_BUSY: {
    meaning: "Every deep-probe slot is taken and the queue is full.",
    action: "Retry later, or raise `probe.deep.maxConcurrent` / `maxQueued` if the host has CPU to spare.",
  },
  MTX_URL_FORBIDDEN: {
    meaning: "The URL's scheme is not allowed, or it points at loopback, private or link-local addresses.",
    action:
      "Use an allowed scheme; to probe internal sources, list their networks in `probe.urls.allowNetworks`.",
  },
  MTX_HOOK_UNDELIVERED: {
    meaning: "The hook wrapper could not deliver a MediaMTX hook to the agent; the event was spooled.",
    action: "Check that mtx-agent runs; it drains the spool on start and periodically.",
  },
  MTX_WORKER_FAILED: {
    meaning: "A worker or forwarder process could not start or keeps exiting.",
    action: "See `details` and the worker's log lines; fix the command template or the destination.",
  },
} as const satisfies Record<string, { meaning: string; action: string }>;

/** A stable `MTX_*` error code. */
export type MtxErrorCode = keyof typeof ERROR_CODES;
