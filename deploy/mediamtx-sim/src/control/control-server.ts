import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log/create-logger.ts";
import { SCENARIOS } from "../media/index.ts";
import { CONN_KINDS, type SessionKind } from "../runtime/conn.ts";
import { ControlError } from "../runtime/control-error.ts";
import type { Scenario } from "../runtime/media-handle.ts";
import type { SimCore } from "../runtime/sim-core.ts";
import type { FaultStore } from "./fault-store.ts";

/** What the control endpoint needs besides the core. */
export interface ControlDeps {
  readonly core: SimCore;
  readonly faults: FaultStore;
  readonly log: Logger;
  readonly violations: () => unknown;
  readonly undocumented: () => unknown;
  readonly hooksRunning: () => unknown;
  readonly restart: () => Promise<void>;
}

type Body = Record<string, unknown>;

function str(body: Body, key: string, fallback?: string): string {
  const v = body[key] ?? fallback;
  if (typeof v !== "string" || v === "") throw new ControlError(400, `'${key}' is required`);
  return v;
}

function scenarioOf(body: Body, fallback: Scenario): Scenario {
  const s = body.scenario ?? fallback;
  if (!SCENARIOS.includes(s as Scenario)) throw new ControlError(400, `unknown scenario '${String(s)}'`);
  return s as Scenario;
}

function kindOf(body: Body, key: string, fallback: SessionKind): SessionKind {
  const k = body[key] ?? fallback;
  if (!CONN_KINDS.includes(k as SessionKind) || k === "rtspConn" || k === "rtspsConn") {
    throw new ControlError(400, `unknown ${key} '${String(k)}'`);
  }
  return k as SessionKind;
}

function queryOf(body: Body): string {
  const q = body.query ?? "";
  if (typeof q === "string") return q;
  if (typeof q === "object" && q !== null) return new URLSearchParams(q as Record<string, string>).toString();
  throw new ControlError(400, "'query' must be a string or an object");
}

/** The simulator's own control endpoint (README "Control endpoint"). */
export function controlHandler(deps: ControlDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { core, faults } = deps;
  const routes: Record<string, (body: Body) => unknown> = {
    "GET /state": () => ({
      version: core.version,
      started: new Date(core.startedMs).toISOString(),
      paths: core.paths.list().map((p) => ({
        name: p.name,
        confName: p.confName,
        available: p.available,
        sourceType: p.source?.type ?? null,
        sourceId: p.source?.id ?? null,
        // Real (RTMP) publishers send their own media, not a scenario.
        scenario: p.source?.conn?.close === undefined ? (p.source?.scenario ?? null) : null,
        inboundBytes: p.inboundBytes(Date.now()),
        outboundBytes: p.outboundBytes(Date.now()),
        readers: [...p.readers.values()].map((r) => ({ type: r.type, id: r.conn.id })),
      })),
      hooks: deps.hooksRunning(),
      faults: faults.list(),
    }),
    "POST /paths/publish": async (b) => {
      const p = core.paths.publish(str(b, "path"), {
        scenario: scenarioOf(b, "testsrc"),
        sourceType: kindOf(b, "sourceType", "rtmpConn"),
        query: queryOf(b),
      });
      await p.source?.media?.ready;
      return { path: p.name, sourceId: p.source?.id ?? null };
    },
    "POST /paths/unpublish": (b) => {
      core.paths.unpublish(str(b, "path"));
      return {};
    },
    "POST /paths/scenario": async (b) => {
      await core.paths.setScenario(str(b, "path"), scenarioOf(b, "testsrc"));
      return {};
    },
    "POST /paths/readers/add": (b) => ({
      id: core.paths.addReader(str(b, "path"), { type: kindOf(b, "type", "rtspSession"), query: queryOf(b) }),
    }),
    "POST /paths/readers/remove": (b) => {
      core.paths.removeReader(str(b, "path"), str(b, "id"));
      return {};
    },
    "POST /faults": (b) => {
      const kind = str(b, "kind");
      if (kind !== "status" && kind !== "reset" && kind !== "delay")
        throw new ControlError(400, `unknown kind '${kind}'`);
      faults.add({
        route: str(b, "route"),
        method: str(b, "method", "GET").toUpperCase(),
        query: (b.query ?? {}) as Record<string, string>,
        kind,
        status: typeof b.status === "number" ? b.status : 500,
        body: b.body,
        delayMs: typeof b.delayMs === "number" ? b.delayMs : 1_000,
        remaining: typeof b.times === "number" ? b.times : 1,
      });
      return {};
    },
    "DELETE /faults": () => {
      faults.clear();
      return {};
    },
    "POST /restart": async () => {
      await deps.restart();
      return { started: new Date(core.startedMs).toISOString() };
    },
    "GET /violations": () => deps.violations(),
    "GET /violations/undocumented": () => deps.undocumented(),
  };
  return (req, res) => {
    void (async () => {
      const key = `${req.method ?? "GET"} ${new URL(req.url ?? "/", "http://x").pathname}`;
      const route = routes[key];
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      };
      if (route === undefined) return send(404, { error: `no control route ${key}` });
      try {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const text = Buffer.concat(chunks).toString("utf8");
        const body = text.trim() === "" ? {} : (JSON.parse(text) as Body);
        send(200, await route(body));
      } catch (e) {
        if (e instanceof ControlError) return send(e.status, { error: e.message });
        if (e instanceof SyntaxError) return send(400, { error: e.message });
        deps.log.error({ err: String(e), route: key }, "control route failed");
        return send(500, { error: String(e) });
      }
    })();
  };
}
