// Two mtx-hub replicas on one nats-server, agents given both link URLs and linked to B: one
// without NATS (all over its session: B relays its telemetry, so A shows it too) and one with
// NATS. When B stops they move to A, the next URL, and nothing they produced is lost.
import {
  type StartedAgent,
  type StartedHub,
  startAgent,
  startHub,
  startNatsServer,
  startSimulator,
  waitFor,
} from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { createNode } from "./create-node.ts";

interface Page<T> {
  readonly items: T[];
  readonly itemCount: number;
}
interface EventItem {
  readonly id: string;
  readonly seq: number;
  readonly kind: string;
}

const streamsOf = async (hub: StartedHub, nodeId: string) =>
  (await hub.request("GET", `/api/v1/streams?node=${nodeId}`)).body as Page<{
    pathName: string;
    available: boolean;
  }>;
const eventsOf = async (hub: StartedHub, nodeId: string): Promise<EventItem[]> =>
  ((await hub.request("GET", `/api/v1/events?node=${nodeId}&perPage=1000`)).body as Page<EventItem>).items;
const linkOf = async (agent: StartedAgent) =>
  ((await agent.get("/api/v1/status")).body as { hub: { url: string; state: string } }).hub;
/** The events still in the agent's outbox (delivered segments get deleted), oldest first. */
const outboxOf = async (agent: StartedAgent): Promise<EventItem[]> =>
  ((await agent.get("/api/v1/events?limit=1000")).body as { items: EventItem[] }).items.toReversed();
const connectivityOn = async (hub: StartedHub, nodeId: string): Promise<string> =>
  ((await hub.request("GET", `/api/v1/fleet/nodes/${nodeId}`)).body as { connectivity: { state: string } })
    .connectivity.state;

/** After failover: every event still in the agent's outbox is at the hub once, with its seq. */
async function expectAllStored(hub: StartedHub, agent: StartedAgent, nodeId: string): Promise<void> {
  const produced = await outboxOf(agent);
  const stored = await waitFor(
    () => eventsOf(hub, nodeId),
    (items) => produced.every((e) => items.some((s) => s.id === e.id)),
    20_000,
  );
  // The API lists by occurrence, which plugins may set earlier than the append: compare by seq.
  const ids = new Set(produced.map((e) => e.id));
  expect(
    stored
      .filter((e) => ids.has(e.id))
      .toSorted((x, y) => x.seq - y.seq)
      .map((e) => [e.seq, e.id]),
  ).toEqual(produced.map((e) => [e.seq, e.id]));
  expect(new Set(stored.map((e) => e.id)).size).toBe(stored.length);
}

describe("hub replica failover", () => {
  it("moves agents (link only, and with NATS) to the other replica when theirs stops, losing nothing", async () => {
    await using nats = await startNatsServer();
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    const config = { nats: { servers: [nats.url] } };
    await using a = await startHub({ config });
    await using b = await startHub({ config });
    const [linkNode, natsNode] = [
      await createNode(b, {
        name: "edge-link",
        environment: "staging",
        labels: {},
      }),
      await createNode(b, {
        name: "edge-nats",
        environment: "staging",
        labels: {},
      }),
    ];
    const agentConfig = (token: string, extra: Record<string, unknown> = {}) => ({
      mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 500 },
      hub: { url: [b.linkUrl, a.linkUrl], enrolToken: token, telemetryIntervalMs: 500, ...extra },
    });
    await using linkAgent = await startAgent({ config: agentConfig(linkNode.token) });
    await using natsAgent = await startAgent({
      config: agentConfig(natsNode.token, { nats: { servers: [nats.url] } }),
    });
    for (const agent of [linkAgent, natsAgent])
      await waitFor(
        () => linkOf(agent),
        (hub) => hub.state === "connected" && hub.url === b.linkUrl,
      );
    // A holds no session of the link-only node, yet shows its streams (relayed) and sees it online.
    const relayed = await waitFor(
      () => streamsOf(a, linkNode.id),
      (page) => page.itemCount === 1,
    );
    expect(relayed.items.map((s) => [s.pathName, s.available])).toEqual([["cam/1", true]]);
    expect(
      await waitFor(
        () => connectivityOn(a, linkNode.id),
        (state) => state === "online",
      ),
    ).toBe("online");

    await b.stop();
    for (const agent of [linkAgent, natsAgent]) {
      await waitFor(
        () => linkOf(agent),
        (hub) => hub.state === "connected" && hub.url === a.linkUrl,
        20_000,
      );
      for (let i = 0; i < 5; i += 1)
        expect((await agent.post("/api/v1/plugins/system-metrics/restart")).status).toBe(200);
    }
    await expectAllStored(a, linkAgent, linkNode.id);
    await expectAllStored(a, natsAgent, natsNode.id);
    for (const node of [linkNode, natsNode]) {
      const sync = await a.request("POST", `/api/v1/fleet/nodes/${node.id}/sync`);
      expect([sync.status, await connectivityOn(a, node.id)]).toEqual([200, "online"]);
    }
  }, 55_000);
});
