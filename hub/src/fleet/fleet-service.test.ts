import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { MtxError } from "@mtx-fleet/plugin-api";
import {
  EventSchema,
  PathStatusSchema,
  StreamHealthSchema,
  StreamVerdict,
  TelemetrySchema,
} from "@mtx-fleet/proto";
import { createTempDir, type TempDir } from "@mtx-fleet/testkit";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSecretBox } from "../auth/secret-box.ts";
import type { HubStore } from "../store/hub-store.ts";
import { openJsonHubStore } from "../store/open-json-hub-store.ts";
import { FleetService } from "./fleet-service.ts";
import { streamIdFor } from "./stream-id-for.ts";

const T0 = Date.UTC(2025, 0, 1);
let dir: TempDir;
let store: HubStore;
let now: number;
let fleet: FleetService;

beforeEach(async () => {
  dir = await createTempDir("mtx-fleet-");
  store = await openJsonHubStore({ dataDir: dir.path });
  now = T0;
  fleet = new FleetService({
    store,
    secrets: await openSecretBox(dir.path),
    logger: pino({ level: "silent" }),
    enrolTokenTtlMs: 60_000,
    heartbeat: { staleAfterMs: 15_000, offlineAfterMs: 60_000 },
    now: () => now,
    random: () => 0,
  });
});
afterEach(async () => {
  await store.close();
  await dir[Symbol.asyncDispose]();
});

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!MtxError.is(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error("expected a failure");
}

function path(name: string, available = true) {
  return create(PathStatusSchema, {
    name,
    confName: name,
    available,
    sourceType: "rtspSession",
    tracks: ["H264"],
  });
}

async function enrolledNode(name = "edge-1") {
  const created = await fleet.createNode({ name, environment: "prod", labels: { site: "a" } });
  const enrolled = await fleet.enrol(created.enrolToken?.token ?? "", {
    agentVersion: "0.1.0",
    hostname: "box",
  });
  return { id: created.node.id, credential: enrolled.credential };
}

describe("FleetService", () => {
  it("enrols a node once with its token, then authenticates it by its credential", async () => {
    const created = await fleet.createNode({ name: "edge-1", environment: "prod", labels: { site: "a" } });
    const token = created.enrolToken?.token ?? "";
    expect(token).toMatch(/^mtxe_/);
    const enrolled = await fleet.enrol(token, { agentVersion: "0.1.0", hostname: "box-1" });
    expect({
      ref: [
        enrolled.nodeRef.nodeId,
        enrolled.nodeRef.name,
        enrolled.nodeRef.environment,
        enrolled.nodeRef.labels,
      ],
      authenticated: (await fleet.authenticateNode(enrolled.credential)).id,
      again: await failure(fleet.enrol(token, { agentVersion: "0.1.0", hostname: "box-2" })),
      unknown: await failure(fleet.enrol("mtxe_nope", { agentVersion: "0.1.0", hostname: "x" })),
      badCredential: await failure(fleet.authenticateNode("mtxn_nope")),
    }).toEqual({
      ref: [created.node.id, "edge-1", 3, { site: "a" }],
      authenticated: created.node.id,
      again: { code: "MTX_UNAUTHORIZED", message: "enrolment token already used" },
      unknown: { code: "MTX_UNAUTHORIZED", message: "unknown enrolment token" },
      badCredential: {
        code: "MTX_UNAUTHORIZED",
        message: "unknown node credential: enrol the agent again with a new token",
      },
    });
  });

  it("rejects an enrolment token after its expiry", async () => {
    const created = await fleet.createNode({ name: "edge-1", environment: "dev" });
    now += 60_000;
    expect(
      await failure(fleet.enrol(created.enrolToken?.token ?? "", { agentVersion: "1", hostname: "h" })),
    ).toEqual({
      code: "MTX_UNAUTHORIZED",
      message: "enrolment token expired",
    });
  });

  it("revokes the old credential when a node enrols again", async () => {
    const { id, credential } = await enrolledNode();
    const second = await fleet.issueEnrolToken(id);
    const enrolled = await fleet.enrol(second.token, { agentVersion: "0.2.0", hostname: "box" });
    expect([
      (await fleet.authenticateNode(enrolled.credential)).agentVersion,
      (await failure(fleet.authenticateNode(credential))).code,
    ]).toEqual(["0.2.0", "MTX_UNAUTHORIZED"]);
  });

  it("records an agentless node without a token and never shows its password", async () => {
    const created = await fleet.createNode({
      name: "remote-1",
      environment: "staging",
      apiUrl: "http://10.0.0.5:9997",
      username: "api",
      password: "s3cret-pass",
    });
    expect({
      enrolToken: created.enrolToken,
      kind: created.node.kind,
      agentless: created.node.agentless,
      password: await fleet.agentlessPassword(created.node.id),
      serialised: JSON.stringify(await fleet.listNodes()).includes("s3cret"),
    }).toEqual({
      enrolToken: null,
      kind: "agentless",
      agentless: { apiUrl: "http://10.0.0.5:9997", username: "api", hasPassword: true, rtspUrl: null },
      password: "s3cret-pass",
      serialised: false,
    });
  });

  it("builds streams from full telemetry and applies partial upserts and removals", async () => {
    const { id } = await enrolledNode();
    const first = await fleet.ingestTelemetry(
      id,
      create(TelemetrySchema, {
        sequence: 1n,
        full: true,
        paths: [path("cam1"), path("cam2"), path("cam3")],
      }),
    );
    const second = await fleet.ingestTelemetry(
      id,
      create(TelemetrySchema, {
        sequence: 2n,
        paths: [path("cam2", false), path("cam4")],
        removedPaths: ["cam3"],
      }),
    );
    const page = await fleet.listStreams({}, { page: 0, perPage: 10 });
    expect({
      needsFull: [first.needsFull, second.needsFull],
      streams: page.items.map((s) => [s.pathName, s.availability, s.id]),
      unavailable: (await fleet.listStreams({ availability: "unavailable" }, { page: 0, perPage: 10 }))
        .itemCount,
      one: (await fleet.getStream(streamIdFor(id, "cam4"))).nodeName,
    }).toEqual({
      needsFull: [false, false],
      streams: [
        ["cam1", "available", streamIdFor(id, "cam1")],
        ["cam2", "unavailable", streamIdFor(id, "cam2")],
        ["cam4", "available", streamIdFor(id, "cam4")],
      ],
      unavailable: 1,
      one: "edge-1",
    });
  });

  it("asks for a full telemetry when a partial one arrives without a baseline", async () => {
    const { id } = await enrolledNode();
    const partial = await fleet.ingestTelemetry(
      id,
      create(TelemetrySchema, { sequence: 5n, paths: [path("a")] }),
    );
    expect(partial).toEqual({ needsFull: true });
  });

  it("marks streams unknown, never off, when their node goes stale and then offline", async () => {
    const { id } = await enrolledNode();
    await fleet.ingestTelemetry(
      id,
      create(TelemetrySchema, { sequence: 1n, full: true, paths: [path("cam1")] }),
    );
    const states = [fleet.connectivity(id)];
    fleet.markDisconnected(id);
    states.push(fleet.connectivity(id));
    now += 60_000;
    fleet.sweep();
    states.push(fleet.connectivity(id));
    const stream = await fleet.getStream(streamIdFor(id, "cam1"));
    fleet.markSeen(id);
    expect({
      states,
      availability: stream.availability,
      available: stream.available,
      back: fleet.connectivity(id),
    }).toEqual({
      states: ["online", "stale", "offline"],
      availability: "unknown",
      available: true,
      back: "online",
    });
  });

  it("shows the reported verdict as status, unknown without a report or while the node is away", async () => {
    const { id } = await enrolledNode();
    const health = create(StreamHealthSchema, {
      verdict: StreamVerdict.UNHEALTHY,
      reasons: [{ code: "frozen", severity: StreamVerdict.UNHEALTHY, message: "same picture for 12 s" }],
      values: { fps: 25, videoCodec: "H264" },
      checkedAt: timestampFromMs(T0 - 1_000),
      since: timestampFromMs(T0 - 60_000),
    });
    await fleet.ingestTelemetry(
      id,
      create(TelemetrySchema, {
        sequence: 1n,
        full: true,
        paths: [create(PathStatusSchema, { ...path("cam1"), health }), path("cam2")],
      }),
    );
    const online = await fleet.listStreams({}, { page: 0, perPage: 10 });
    const unhealthy = await fleet.listStreams({ status: "unhealthy" }, { page: 0, perPage: 10 });
    const unknown = await fleet.listStreams({ status: "unknown" }, { page: 0, perPage: 10 });
    fleet.markDisconnected(id);
    const away = await fleet.getStream(streamIdFor(id, "cam1"));
    expect({
      online: online.items.map((s) => [s.pathName, s.status, s.health]),
      filtered: [unhealthy.items.map((s) => s.pathName), unknown.items.map((s) => s.pathName)],
      away: [away.status, away.health?.verdict],
    }).toEqual({
      online: [
        [
          "cam1",
          "unhealthy",
          {
            verdict: "unhealthy",
            reasons: [{ code: "frozen", severity: "unhealthy", message: "same picture for 12 s" }],
            values: { fps: 25, videoCodec: "H264" },
            checkedAt: new Date(T0 - 1_000).toISOString(),
            since: new Date(T0 - 60_000).toISOString(),
          },
        ],
        ["cam2", "unknown", null],
      ],
      filtered: [["cam1"], ["cam2"]],
      away: ["unknown", "unhealthy"],
    });
  });

  it("records a probe's health on the stream at once, until the next telemetry", async () => {
    const { id } = await enrolledNode();
    const full = (sequence: bigint) =>
      create(TelemetrySchema, { sequence, full: true, paths: [path("cam1")] });
    await fleet.ingestTelemetry(id, full(1n));
    const streamId = streamIdFor(id, "cam1");
    const probed = await fleet.recordStreamHealth(streamId, {
      verdict: "degraded",
      reasons: [{ code: "fps_drop", severity: "degraded", message: "5 fps of 25" }],
      values: { fps: 5 },
      checkedAt: new Date(T0).toISOString(),
      since: new Date(T0).toISOString(),
    });
    await fleet.ingestTelemetry(id, full(2n));
    expect({
      probed: [probed.status, probed.health?.reasons.map((r) => r.code)],
      next: (await fleet.getStream(streamId)).health,
      missing: await failure(
        fleet.recordStreamHealth(streamIdFor(id, "nope"), probed.health ?? ({} as never)),
      ),
    }).toEqual({
      probed: ["degraded", ["fps_drop"]],
      next: null,
      missing: { code: "MTX_NOT_FOUND", message: `no stream with id ${streamIdFor(id, "nope")}` },
    });
  });

  it("goes stale after missed heartbeats without a disconnect", async () => {
    const { id } = await enrolledNode();
    fleet.markSeen(id);
    now += 14_999;
    fleet.sweep();
    const before = fleet.connectivity(id);
    now += 1;
    fleet.sweep();
    expect([before, fleet.connectivity(id)]).toEqual(["online", "stale"]);
  });

  it("stores each event once however often it is replayed", async () => {
    const { id } = await enrolledNode();
    const events = [1, 2, 3].map((seq) =>
      create(EventSchema, {
        id: `ev-${seq}`,
        seq: BigInt(seq),
        kind: "path.availability",
        occurredAt: timestampFromMs(T0 + seq * 1000),
        stream: { pathName: "cam1" },
        payload: { case: "pathAvailability", value: { available: true, sourceType: "rtspSession" } },
      }),
    );
    const first = await fleet.ingestEvents(id, events.slice(0, 2));
    const replay = await fleet.ingestEvents(id, events);
    const listed = await fleet.listEvents({ nodeId: id }, { page: 0, perPage: 10 });
    expect({
      first,
      replay,
      ids: listed.items.map((e) => e.id),
      sample: listed.items[0],
    }).toEqual({
      first: 2n,
      replay: 3n,
      ids: ["ev-1", "ev-2", "ev-3"],
      sample: {
        id: "ev-1",
        nodeId: id,
        seq: 1,
        kind: "path.availability",
        occurredAt: "2025-01-01T00:00:01.000Z",
        receivedAt: "2025-01-01T00:00:00.000Z",
        streamId: streamIdFor(id, "cam1"),
        pathName: "cam1",
        requestId: null,
        payload: { pathAvailability: { available: true, sourceType: "rtspSession" } },
      },
    });
  });

  it("skips events that name another node or have no id", async () => {
    const { id } = await enrolledNode();
    const highest = await fleet.ingestEvents(id, [
      create(EventSchema, { id: "", seq: 1n, kind: "x" }),
      create(EventSchema, { id: "ev-2", seq: 2n, kind: "x", node: { nodeId: "someone-else" } }),
      create(EventSchema, { id: "ev-3", seq: 3n, kind: "x" }),
    ]);
    const listed = await fleet.listEvents({}, { page: 0, perPage: 10 });
    expect([highest, listed.items.map((e) => e.id)]).toEqual([3n, ["ev-3"]]);
  });

  it("filters nodes by environment and labels and deletes a node with its streams", async () => {
    const { id } = await enrolledNode("edge-1");
    await fleet.createNode({ name: "edge-2", environment: "dev", labels: { site: "a" } });
    await fleet.ingestTelemetry(
      id,
      create(TelemetrySchema, { sequence: 1n, full: true, paths: [path("cam1")] }),
    );
    const names = (list: readonly { name: string }[]) => list.map((n) => n.name);
    const result = {
      prod: names(await fleet.listNodes({ environment: "prod" })),
      siteA: names(await fleet.listNodes({ labels: { site: "a" } })),
      siteB: names(await fleet.listNodes({ labels: { site: "b" } })),
      duplicate: await failure(fleet.createNode({ name: "edge-1", environment: "dev" })),
    };
    await fleet.deleteNode(id);
    expect({
      ...result,
      after: names(await fleet.listNodes()),
      streams: (await fleet.listStreams({}, { page: 0, perPage: 10 })).itemCount,
      gone: await failure(fleet.getNode(id)),
    }).toEqual({
      prod: ["edge-1"],
      siteA: ["edge-1", "edge-2"],
      siteB: [],
      duplicate: {
        code: "MTX_INVALID_INPUT",
        message: "a node named 'edge-1' already exists: choose another name",
      },
      after: ["edge-2"],
      streams: 0,
      gone: { code: "MTX_NOT_FOUND", message: `no node with id ${id}` },
    });
  });
});
