import { createHash } from "node:crypto";
import { pathView } from "../runtime/path-view.ts";
import type { RuntimePath } from "../runtime/runtime-path.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { isModern } from "../spec/mtx-version.ts";
import { goTime } from "../util/go-time.ts";
import { Reply } from "./api-reply.ts";
import { confFailure } from "./config-routes.ts";
import { paginate } from "./paginate.ts";
import { uuidError } from "./parse-uuid.ts";
import type { Route } from "./route.ts";

/** The version string `/v3/info` reports. */
export const SIM_VERSION = "v1.20.1";

function stableUuid(seed: string): string {
  const h = createHash("sha1").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function forwardDests(p: RuntimePath, nowMs: number): Array<Record<string, unknown>> {
  const dests = (p.conf.forward ?? []) as Array<Record<string, unknown>>;
  return dests.map((d, pos) => {
    const dest = String(d.dest ?? "");
    const scheme = dest.split("://")[0] ?? "";
    return {
      id: stableUuid(`${p.name}/${p.createdMs}/${pos}`),
      pos,
      created: goTime(p.createdMs),
      conf: { dest, destFingerprint: d.destFingerprint ?? "", whipBearerToken: d.whipBearerToken ?? "" },
      protocol: scheme === "http" ? "whip" : scheme === "https" ? "whips" : scheme,
      state: p.available ? "forwarding" : "idle",
      lastError: "",
      outboundBytes: p.available ? p.inboundBytes(nowMs) : 0,
    };
  });
}

/** `/v3/info`, `/v3/auth/jwks/refresh`, `/v3/paths/*`. */
export function runtimeRoutes(core: SimCore): Route[] {
  const v = core.version;
  const modern = isModern(v);
  const routes: Route[] = [
    {
      method: "GET",
      op: "/v3/paths/list",
      prefix: "/v3/paths/list",
      param: "none",
      handle: (req) => {
        try {
          const now = Date.now();
          const page = paginate(core.paths.list(), req.query);
          return Reply.json({ ...page, items: page.items.map((p) => pathView(p, v, now)) });
        } catch (e) {
          return confFailure(e);
        }
      },
    },
    {
      method: "GET",
      op: "/v3/paths/get/{name}",
      prefix: "/v3/paths/get/",
      param: "catchall",
      handle: (req) => {
        const p = core.paths.get(req.param);
        return p === undefined ? Reply.error(404, "path not found") : Reply.json(pathView(p, v, Date.now()));
      },
    },
  ];
  if (!modern) return routes;
  return [
    {
      method: "GET",
      op: "/v3/info",
      prefix: "/v3/info",
      param: "none",
      handle: () => Reply.json({ version: SIM_VERSION, started: goTime(core.startedMs) }),
    },
    {
      method: "POST",
      op: "/v3/auth/jwks/refresh",
      prefix: "/v3/auth/jwks/refresh",
      param: "none",
      handle: () => Reply.ok(),
    },
    ...routes,
    {
      method: "GET",
      op: "/v3/paths/forward/list",
      prefix: "/v3/paths/forward/list",
      param: "none",
      handle: (req) => {
        const p = core.paths.get(req.query.get("path") ?? "");
        if (p === undefined) return Reply.error(404, "path not found");
        try {
          return Reply.json(paginate(forwardDests(p, Date.now()), req.query));
        } catch (e) {
          return confFailure(e);
        }
      },
    },
    {
      method: "GET",
      op: "/v3/paths/forward/get",
      prefix: "/v3/paths/forward/get",
      param: "none",
      handle: (req) => {
        const id = req.query.get("id") ?? "";
        const bad = uuidError(id);
        if (bad !== undefined) return Reply.error(400, bad);
        const p = core.paths.get(req.query.get("path") ?? "");
        if (p === undefined) return Reply.error(404, "path not found");
        const d = forwardDests(p, Date.now()).find((x) => x.id === id);
        return d === undefined ? Reply.error(404, "forward destination not found") : Reply.json(d);
      },
    },
  ];
}
