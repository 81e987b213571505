import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { PluginHarness } from "@mtx-fleet/agent/testing";
import type { MediaMtxHook, MediaMtxHookEvent } from "@mtx-fleet/plugin-api";
import { groupMembers } from "../group-members.ts";
import type { WorkerStatus } from "../worker-spec.ts";
import type { StartedLine } from "./read-started-line.ts";

/** A hook event as the hooks plugin puts it on the bus. */
export function hookEvent(
  hook: MediaMtxHook,
  path: string,
  extra: Partial<MediaMtxHookEvent> = {},
): MediaMtxHookEvent {
  return {
    id: randomUUID(),
    hook,
    path,
    query: null,
    sourceType: "rtmpConn",
    sourceId: randomUUID(),
    readerType: null,
    readerId: null,
    connType: null,
    connId: null,
    segmentPath: null,
    segmentDurationSeconds: null,
    env: { MTX_PATH: path },
    occurredAt: Date.now(),
    origin: "hook",
    ...extra,
  };
}

/** Calls one of the plugin's routes the way the agent's local API does. */
export async function callRoute(
  harness: PluginHarness,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  options: { body?: unknown; query?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const handler = harness.host.route("orchestration", method, path);
  if (handler === undefined) throw new Error(`no route ${method} ${path}`);
  const response = await handler({
    method,
    path,
    query: options.query ?? {},
    body: options.body,
    requestId: randomUUID(),
  });
  return { status: response.status ?? 200, body: response.body };
}

export async function workers(harness: PluginHarness): Promise<WorkerStatus[]> {
  return ((await callRoute(harness, "GET", "/workers")).body as { items: WorkerStatus[] }).items;
}

/** The journal (outbox) records of a kind prefix, e.g. `worker.`. */
export async function journal(
  harness: PluginHarness,
  prefix: string,
): Promise<Array<{ kind: string; path?: string; payload: Record<string, unknown> }>> {
  const records = await harness.outbox.read({ afterSeq: 0, limit: 10_000 });
  return records
    .filter((r) => r.kind.startsWith(prefix))
    .map((r) => ({
      kind: r.kind,
      ...(r.path === undefined ? {} : { path: r.path }),
      payload: r.payload as Record<string, unknown>,
    }));
}

/** Lines the test worker wrote with `--record FILE` (one per start). */
export async function recordedStarts(file: string): Promise<StartedLine[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as StartedLine);
}

/** Live (non-zombie) processes of these groups. */
export async function liveMembers(pgids: Iterable<number>): Promise<number[]> {
  return (await groupMembers(pgids)).filter((m) => m.state !== "Z").map((m) => m.pid);
}
