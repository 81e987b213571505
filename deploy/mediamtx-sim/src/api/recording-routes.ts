import { MtxError } from "@mtx-fleet/plugin-api";
import type { Conf } from "../config/conf.ts";
import { mergedPathConf } from "../config/merged-path-conf.ts";
import { deleteSegment, getRecording, listRecordings, type RecordConfig } from "../recording/index.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import { type ApiReply, Reply } from "./api-reply.ts";
import { confFailure } from "./config-routes.ts";
import { paginate } from "./paginate.ts";
import type { Route } from "./route.ts";

/** The record settings of every configured path, as the recording lib needs them. */
export function recordConfigs(conf: Conf): RecordConfig[] {
  return [...conf.paths.keys()].map((name) => {
    const p = mergedPathConf(conf, name) ?? {};
    return {
      name,
      recordPath: String(p.recordPath),
      format: p.recordFormat === "mpegts" ? "mpegts" : "fmp4",
    };
  });
}

function libFailure(e: unknown): ApiReply {
  if (e instanceof MtxError) {
    const status = typeof e.details?.httpStatus === "number" ? e.details.httpStatus : 400;
    return Reply.error(status, e.message);
  }
  return Reply.error(500, String(e));
}

/** `/v3/recordings/*` through the recording lib (disk rescanned on every call, like MediaMTX). */
export function recordingRoutes(core: SimCore, cwd: string): Route[] {
  const configs = (): RecordConfig[] => recordConfigs(core.liveConf);
  return [
    {
      method: "GET",
      op: "/v3/recordings/list",
      prefix: "/v3/recordings/list",
      param: "none",
      handle: async (req) => {
        try {
          const all = await listRecordings({ cwd, configs: configs() });
          return Reply.json(paginate(all, req.query));
        } catch (e) {
          return e instanceof MtxError ? libFailure(e) : confFailure(e);
        }
      },
    },
    {
      method: "GET",
      op: "/v3/recordings/get/{name}",
      prefix: "/v3/recordings/get/",
      param: "catchall",
      handle: async (req) => {
        try {
          return Reply.json(await getRecording({ cwd, configs: configs(), pathName: req.param }));
        } catch (e) {
          return libFailure(e);
        }
      },
    },
    {
      method: "DELETE",
      op: "/v3/recordings/deletesegment",
      prefix: "/v3/recordings/deletesegment",
      param: "none",
      handle: async (req) => {
        try {
          await deleteSegment({
            cwd,
            configs: configs(),
            path: req.query.get("path") ?? "",
            start: req.query.get("start") ?? "",
          });
          return Reply.ok();
        } catch (e) {
          return libFailure(e);
        }
      },
    },
  ];
}
