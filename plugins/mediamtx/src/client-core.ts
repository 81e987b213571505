import { MtxError, type MtxErrorCode } from "@mtx-fleet/plugin-api";
import { deepFreeze } from "./deep-freeze.ts";
import {
  FEATURE_SINCE,
  featuresForVersion,
  type MediaMtxFeatures,
  parseMediaMtxVersion,
} from "./features.ts";
import { findRedactedSecrets } from "./find-redacted-secrets.ts";
import type { HttpRequest, HttpTransport } from "./http-transport.ts";
import { listAllPages } from "./list-all-pages.ts";
import type { MtxList } from "./model.ts";
import { ShapeReader } from "./shape-reader.ts";

/** Options every client call accepts. */
export interface CallOptions {
  /** Aborts this call (the client's own signal and timeout still apply). */
  readonly signal?: AbortSignal | undefined;
}

/** Options of `/list` calls. */
export interface ListOptions extends CallOptions {
  /** Return an empty list (`disabled: true`) when the protocol server is off or unsupported. */
  readonly disabledAsEmpty?: boolean | undefined;
}

/** What the client knows about the node. */
export interface MtxServerInfo {
  /** `null` when the node has no `/v3/info` (older than v1.15.2). */
  readonly version: string | null;
  readonly started: string | null;
  readonly features: MediaMtxFeatures;
  /** `version` when derived from the version table, `sniffed` when guessed from reply shapes. */
  readonly featuresFrom: "version" | "sniffed";
}

/** A `/list` endpoint to walk. */
export interface ListSpec<T> {
  readonly route: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly normalise: (raw: unknown, where: string) => T;
  readonly key: (item: T) => string;
  readonly plainNotFound?: MtxErrorCode;
}

/** The shared machinery behind every method group of the client. */
export interface ClientCore {
  readonly send: HttpTransport;
  readonly itemsPerPage: number;
  serverInfo(options?: CallOptions & { readonly refresh?: boolean }): Promise<MtxServerInfo>;
  /** GETs a JSON object and normalises + freezes it. */
  read<T>(route: string, normalise: (raw: unknown, where: string) => T, options?: CallOptions): Promise<T>;
  list<T>(spec: ListSpec<T>, options?: ListOptions): Promise<MtxList<T>>;
  /** A config write: refuses `<redacted>`, maps 400 to INVALID_CONFIG, accepts empty or `{status:ok}`. */
  write(req: Omit<HttpRequest, "kind">): Promise<void>;
  /** Throws MTX_MEDIAMTX_REDACTED_SECRET when `body` carries `<redacted>` anywhere. */
  refuseRedacted(method: string, route: string, body: unknown): void;
  /** A kick or delete of a runtime object: 400 → BAD_REQUEST. */
  act(req: Omit<HttpRequest, "kind">): Promise<void>;
  /** Throws MTX_MEDIAMTX_UNSUPPORTED when the node lacks `feature`. */
  requireFeature(
    feature: keyof MediaMtxFeatures,
    what: string,
    options?: CallOptions,
  ): Promise<MediaMtxFeatures>;
}

/** Builds the core over a transport. */
export function createClientCore(send: HttpTransport, itemsPerPage: number): ClientCore {
  let cached: Promise<MtxServerInfo> | null = null;

  const core: ClientCore = {
    send,
    itemsPerPage,
    serverInfo(options = {}) {
      if (cached === null || options.refresh === true) {
        // Shared by concurrent callers, so one caller's abort must not fail the others: only
        // the client's own signal and timeout apply to detection.
        const attempt = detectServer(send);
        cached = attempt;
        attempt.catch(() => {
          if (cached === attempt) cached = null; // never cache a failed detection
        });
      }
      return cached;
    },
    async read(route, normalise, options = {}) {
      const raw = await send({ method: "GET", route, kind: "read", signal: options.signal });
      return deepFreeze(normalise(raw, `GET ${route}`));
    },
    async list(spec, options = {}) {
      const what = `GET ${spec.route}`;
      try {
        const result = await listAllPages({
          what,
          normalise: spec.normalise,
          key: spec.key,
          fetchPage: (page) =>
            send({
              method: "GET",
              route: spec.route,
              query: { ...spec.query, page: String(page), itemsPerPage: String(itemsPerPage) },
              kind: "read",
              plainNotFound: spec.plainNotFound,
              signal: options.signal,
            }),
        });
        return deepFreeze(result);
      } catch (e) {
        if (options.disabledAsEmpty === true && isDisabled(e)) return emptyDisabledList<never>();
        throw e;
      }
    },
    refuseRedacted(method, route, body) {
      const fields = findRedactedSecrets(body);
      if (fields.length > 0) {
        throw new MtxError(
          "MTX_MEDIAMTX_REDACTED_SECRET",
          `refusing ${method} ${route}: it would write the placeholder <redacted> into ${fields.join(", ")}`,
          { details: { method, route, fields } },
        );
      }
    },
    async write(req) {
      core.refuseRedacted(req.method, req.route, req.body);
      expectOk(await send({ ...req, kind: "config-write" }), `${req.method} ${req.route}`);
    },
    async act(req) {
      expectOk(await send({ ...req, kind: "action" }), `${req.method} ${req.route}`);
    },
    async requireFeature(feature, what, options = {}) {
      const info = await core.serverInfo(options);
      if (!info.features[feature]) {
        throw new MtxError(
          "MTX_MEDIAMTX_UNSUPPORTED",
          `${what} needs MediaMTX ${FEATURE_SINCE[feature]} or later; the node runs ${info.version ?? "a version older than v1.15.2"}`,
          { details: { feature, since: FEATURE_SINCE[feature], version: info.version } },
        );
      }
      return info.features;
    },
  };
  return core;
}

function isDisabled(e: unknown): boolean {
  return MtxError.is(e, "MTX_MEDIAMTX_PROTOCOL_DISABLED") || MtxError.is(e, "MTX_MEDIAMTX_UNSUPPORTED");
}

/** The list returned for a disabled protocol with `disabledAsEmpty`. */
export function emptyDisabledList<T>(): MtxList<T> {
  return deepFreeze({ items: [], itemCount: 0, pages: 0, consistent: true, disabled: true });
}

/** A write/kick reply: empty (before v1.15.5) or `{"status":"ok"}`. */
function expectOk(body: unknown, what: string): void {
  if (body === undefined) return;
  const r = new ShapeReader(body, what);
  const status = r.optString("status");
  if (status !== null && status !== "ok") {
    throw new MtxError("MTX_MEDIAMTX_BAD_RESPONSE", `MediaMTX answered ${what} with status '${status}'`, {
      details: { what, status },
    });
  }
}

async function detectServer(send: HttpTransport): Promise<MtxServerInfo> {
  let raw: unknown;
  try {
    raw = await send({
      method: "GET",
      route: "/v3/info",
      kind: "read",
      plainNotFound: "MTX_MEDIAMTX_UNSUPPORTED",
    });
  } catch (e) {
    // No /v3/info: older than v1.15.2, which has none of the tracked features.
    if (MtxError.is(e, "MTX_MEDIAMTX_UNSUPPORTED")) {
      return deepFreeze({
        version: null,
        started: null,
        features: featuresForVersion(null),
        featuresFrom: "version",
      });
    }
    throw e;
  }
  const r = new ShapeReader(raw, "GET /v3/info");
  const version = r.string("version");
  const started = r.optString("started");
  if (parseMediaMtxVersion(version) !== null) {
    return deepFreeze({ version, started, features: featuresForVersion(version), featuresFrom: "version" });
  }
  return deepFreeze({
    version,
    started,
    features: await sniffFeatures(send),
    featuresFrom: "sniffed",
  });
}

/**
 * For builds without a usable version (`v0.0.0`): the newest config key the node knows tells
 * the oldest version it can be; features are monotonic, so that version's set applies.
 */
async function sniffFeatures(send: HttpTransport): Promise<MediaMtxFeatures> {
  const get = async (route: string) =>
    new ShapeReader(await send({ method: "GET", route, kind: "read" }), `GET ${route}`);
  const defaults = await get("/v3/config/pathdefaults/get");
  const global = await get("/v3/config/global/get");
  const probes: readonly [boolean, string][] = [
    [defaults.has("forward"), "v1.20.1"],
    [defaults.has("runOnAvailable"), FEATURE_SINCE.runOnAvailable],
    [global.has("moq"), FEATURE_SINCE.moq],
    [defaults.has("alwaysAvailable"), FEATURE_SINCE.available],
  ];
  const found = probes.find(([present]) => present);
  return featuresForVersion(found?.[1] ?? FEATURE_SINCE.info);
}
