import type { Conf } from "../config/conf.ts";
import { ConfError } from "../config/conf-error.ts";
import { ConfNotFoundError, ConfOps } from "../config/conf-ops.ts";
import { mergedPathConf } from "../config/merged-path-conf.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { isModern } from "../spec/mtx-version.ts";
import { type ApiReply, Reply } from "./api-reply.ts";
import { goJsonParse } from "./go-json-parse.ts";
import { PaginationError, paginate } from "./paginate.ts";
import { RedactConf } from "./redact-conf.ts";
import type { Route, RouteRequest } from "./route.ts";

/** Maps config/pagination failures to MediaMTX's statuses. */
export function confFailure(e: unknown): ApiReply {
  if (e instanceof ConfNotFoundError) return Reply.error(404, e.message);
  if (e instanceof ConfError || e instanceof PaginationError) return Reply.error(400, e.message);
  throw e;
}

/** `/v3/config/*` routes. */
export function configRoutes(core: SimCore): Route[] {
  const modern = isModern(core.version);
  // v1.20.1 reads the live core config (trap 2); older versions their own copy, updated at once.
  const readConf = (): Conf => (modern ? core.liveConf : core.pendingConf);
  const redactGlobal = (g: Readonly<Record<string, unknown>>) => (modern ? RedactConf.global(g) : { ...g });
  const redactPath = (p: Readonly<Record<string, unknown>>) => (modern ? RedactConf.path(p) : { ...p });
  const write =
    (change: (conf: Conf, req: RouteRequest) => Conf) =>
    (req: RouteRequest): ApiReply => {
      try {
        core.mutate((conf) => change(conf, req));
        return Reply.ok();
      } catch (e) {
        return confFailure(e);
      }
    };
  const nameOf = (req: RouteRequest): string => req.param;
  return [
    {
      method: "GET",
      op: "/v3/config/global/get",
      prefix: "/v3/config/global/get",
      param: "none",
      handle: () => Reply.json(redactGlobal(readConf().global)),
    },
    {
      method: "PATCH",
      op: "/v3/config/global/patch",
      prefix: "/v3/config/global/patch",
      param: "none",
      handle: write((conf, req) => ConfOps.patchGlobal(conf, goJsonParse(req.body))),
    },
    {
      method: "GET",
      op: "/v3/config/pathdefaults/get",
      prefix: "/v3/config/pathdefaults/get",
      param: "none",
      handle: () => Reply.json(redactPath(readConf().pathDefaults)),
    },
    {
      method: "PATCH",
      op: "/v3/config/pathdefaults/patch",
      prefix: "/v3/config/pathdefaults/patch",
      param: "none",
      handle: write((conf, req) => ConfOps.patchPathDefaults(conf, goJsonParse(req.body))),
    },
    {
      method: "GET",
      op: "/v3/config/paths/list",
      prefix: "/v3/config/paths/list",
      param: "none",
      handle: (req) => {
        const conf = readConf();
        const names = [...conf.paths.keys()].sort();
        try {
          const page = paginate(names, req.query);
          return Reply.json({
            ...page,
            items: page.items.map((n) => redactPath(mergedPathConf(conf, n) ?? {})),
          });
        } catch (e) {
          return confFailure(e);
        }
      },
    },
    {
      method: "GET",
      op: "/v3/config/paths/get/{name}",
      prefix: "/v3/config/paths/get/",
      param: "catchall",
      handle: (req) => {
        const p = mergedPathConf(readConf(), nameOf(req));
        return p === undefined ? Reply.error(404, "path configuration not found") : Reply.json(redactPath(p));
      },
    },
    {
      method: "POST",
      op: "/v3/config/paths/add/{name}",
      prefix: "/v3/config/paths/add/",
      param: "catchall",
      handle: write((conf, req) => ConfOps.addPath(conf, nameOf(req), goJsonParse(req.body))),
    },
    {
      method: "PATCH",
      op: "/v3/config/paths/patch/{name}",
      prefix: "/v3/config/paths/patch/",
      param: "catchall",
      handle: write((conf, req) => ConfOps.patchPath(conf, nameOf(req), goJsonParse(req.body))),
    },
    {
      method: "POST",
      op: "/v3/config/paths/replace/{name}",
      prefix: "/v3/config/paths/replace/",
      param: "catchall",
      handle: write((conf, req) => ConfOps.replacePath(conf, nameOf(req), goJsonParse(req.body))),
    },
    {
      method: "DELETE",
      op: "/v3/config/paths/delete/{name}",
      prefix: "/v3/config/paths/delete/",
      param: "catchall",
      handle: write((conf, req) => ConfOps.deletePath(conf, nameOf(req))),
    },
  ];
}
