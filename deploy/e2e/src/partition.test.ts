// "A 10-minute partition loses nothing acknowledged", compressed: an agent linked with NATS is
// cut off from both the hub and NATS by TCP proxies (the servers keep running, the agent sees
// silence, not refusals), keeps producing events for the whole partition, and after the heal
// every event its outbox accepted is at the hub exactly once, in seq order.
import {
  type StartedAgent,
  type StartedHub,
  startAgent,
  startHub,
  startNatsServer,
  startSimulator,
  startTcpProxy,
  waitFor,
} from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { createNode } from "./create-node.ts";

interface EventItem {
  readonly id: string;
  readonly seq: number;
  readonly kind: string;
}

const PLUGIN_RESTARTS = 40;
const MEDIAMTX_OUTAGES = 4;

const eventsAt = async (hub: StartedHub, nodeId: string): Promise<EventItem[]> =>
  ((await hub.request("GET", `/api/v1/events?node=${nodeId}&perPage=1000`)).body as { items: EventItem[] })
    .items;
const outboxOf = async (agent: StartedAgent) =>
  (await agent.get("/api/v1/events?limit=1000")).body as {
    items: EventItem[];
    stats: { newestSeq: number; deliveredSeq: number; dropped?: number };
  };
const linkState = async (agent: StartedAgent): Promise<string> =>
  ((await agent.get("/api/v1/status")).body as { hub: { state: string } }).hub.state;

describe("network partition between an agent and its hub", () => {
  it("delivers every event produced during the partition exactly once, in order, after the heal", async () => {
    await using nats = await startNatsServer();
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    await using hub = await startHub({ config: { nats: { servers: [nats.url] } } });
    const linkPort = Number(hub.linkUrl.split(":").at(-1));
    await using linkProxy = await startTcpProxy({ targetPort: linkPort });
    await using natsProxy = await startTcpProxy({ targetPort: nats.port });
    const node = await createNode(hub, {
      name: "edge-p",
      environment: "prod",
      labels: {},
    });
    await using agent = await startAgent({
      config: {
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 250 },
        hub: {
          url: linkProxy.address,
          enrolToken: node.token,
          telemetryIntervalMs: 500,
          nats: { servers: [`nats://${natsProxy.address}`] },
        },
      },
    });
    await waitFor(
      () => eventsAt(hub, node.id),
      (items) => items.some((e) => e.kind === "mediamtx.reachable"),
      20_000,
    );

    // The partition: both paths go silent at once.
    linkProxy.cut();
    natsProxy.cut();
    const before = (await outboxOf(agent)).stats.newestSeq;
    for (let i = 0; i < PLUGIN_RESTARTS; i += 1)
      expect((await agent.post("/api/v1/plugins/system-metrics/restart")).status).toBe(200);
    // MediaMTX outages too, each seen by a poll (250 ms): unreachable, then reachable again.
    const countOf = async (kind: string) =>
      (await outboxOf(agent)).items.filter((e) => e.kind === kind && e.seq > before).length;
    for (let i = 1; i <= MEDIAMTX_OUTAGES; i += 1) {
      await sim.control.fault({ route: "/v3/paths/list", kind: "reset" });
      await waitFor(
        () => countOf("mediamtx.unreachable"),
        (n) => n >= i,
      );
      await sim.control.clearFaults();
      await waitFor(
        () => countOf("mediamtx.reachable"),
        (n) => n >= i,
      );
    }
    const during = await outboxOf(agent);
    // Nothing got through while cut, and the outbox kept everything.
    expect(during.stats.deliveredSeq).toBeLessThanOrEqual(before);
    expect(during.stats.newestSeq - before).toBeGreaterThanOrEqual(PLUGIN_RESTARTS + 2 * MEDIAMTX_OUTAGES);
    expect(during.stats.dropped ?? 0).toBe(0);
    const atHubDuring = await eventsAt(hub, node.id);
    expect(atHubDuring.filter((e) => e.seq > before)).toEqual([]);

    linkProxy.heal();
    natsProxy.heal();
    const produced = (await outboxOf(agent)).items.toReversed();
    const stored = await waitFor(
      () => eventsAt(hub, node.id),
      (items) => produced.every((e) => items.some((s) => s.id === e.id)),
      30_000,
    );
    // Once each, with the outbox's seqs in its order (the outbox lists what is still on disk; the
    // API lists by occurrence, which a plugin may set before the append: compare by seq).
    const ids = stored.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const producedIds = new Set(produced.map((e) => e.id));
    const matching = stored.filter((e) => producedIds.has(e.id)).toSorted((x, y) => x.seq - y.seq);
    expect(matching.map((e) => [e.seq, e.id])).toEqual(produced.map((e) => [e.seq, e.id]));
    expect(produced.filter((e) => e.seq > before).length).toBe(during.stats.newestSeq - before);
    // The control link came back too (its reconnect backoff started during the partition).
    await waitFor(
      () => linkState(agent),
      (state) => state === "connected",
      20_000,
    );
  }, 55_000);
});
