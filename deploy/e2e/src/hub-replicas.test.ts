// Two mtx-hub replicas on one nats-server (store nats-kv, separate data dirs): an agent (with
// NATS) linked to one is seen the same on both, commands reach it through either, and its
// enrolment token works once across both. Failover: hub-replicas-failover.test.ts.
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
interface StreamItem {
  readonly id: string;
  readonly pathName: string;
  readonly confName: string;
  readonly available: boolean;
  readonly sourceType: string;
  readonly tracks: string[];
  readonly nodeName: string;
}
interface EventItem {
  readonly id: string;
  readonly seq: number;
  readonly kind: string;
}

const streamsOf = async (hub: StartedHub, nodeId: string): Promise<Page<StreamItem>> =>
  (await hub.request("GET", `/api/v1/streams?node=${nodeId}`)).body as Page<StreamItem>;
const eventsOf = async (hub: StartedHub, nodeId: string): Promise<EventItem[]> =>
  ((await hub.request("GET", `/api/v1/events?node=${nodeId}&perPage=1000`)).body as Page<EventItem>).items;
/** What must be equal on both replicas (not the byte counters, which move, nor receive times). */
const shape = (page: Page<StreamItem>) =>
  page.items.map((s) => [s.id, s.pathName, s.confName, s.available, s.sourceType, s.tracks, s.nodeName]);
const linkOf = async (agent: StartedAgent) =>
  ((await agent.get("/api/v1/status")).body as { hub: { url: string; state: string } }).hub;

describe("two hub replicas on one NATS", () => {
  it("share an agent linked to one: same streams and events, commands through both, one enrolment", async () => {
    await using nats = await startNatsServer();
    await using sim = await startSimulator({ config: { paths: { "cam/1": {}, "cam/2": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    const config = { nats: { servers: [nats.url] } };
    await using a = await startHub({ config });
    await using b = await startHub({ config });
    expect([a, b].map((hub) => hub.logs().find((line) => line.msg === "hub started")?.store)).toEqual([
      "nats-kv",
      "nats-kv",
    ]);

    const node = await createNode(a, {
      name: "edge-r",
      environment: "prod",
      labels: { site: "lab" },
    });
    // The agent knows both replicas and starts with B.
    await using agent = await startAgent({
      config: {
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 500 },
        hub: {
          url: [b.linkUrl, a.linkUrl],
          enrolToken: node.token,
          telemetryIntervalMs: 500,
          nats: { servers: [nats.url] },
        },
      },
    });
    expect(
      await waitFor(
        () => linkOf(agent),
        (hub) => hub.state === "connected",
      ),
    ).toEqual({
      mode: "linked",
      url: b.linkUrl,
      state: "connected",
    });
    expect(b.logs().some((line) => line.msg === "node enrolled" && line.node === node.id)).toBe(true);

    // Streams and events look the same from both replicas.
    const [onA, onB] = await Promise.all(
      [a, b].map((hub) =>
        waitFor(
          () => streamsOf(hub, node.id),
          (page) => page.itemCount === 2,
        ),
      ),
    );
    expect(shape(onA as Page<StreamItem>)).toEqual(shape(onB as Page<StreamItem>));
    expect((onA as Page<StreamItem>).items.map((s) => [s.pathName, s.available]).sort()).toEqual([
      ["cam/1", true],
      ["cam/2", false],
    ]);
    // Events keep coming: read both until they agree (each event reached one replica over NATS).
    const idsOf = (items: EventItem[]) => items.map((e) => e.id).join();
    const [eventsA, eventsB] = await waitFor(
      async () => [await eventsOf(a, node.id), await eventsOf(b, node.id)] as const,
      ([onA, onB]) => onA.some((e) => e.kind === "mediamtx.reachable") && idsOf(onA) === idsOf(onB),
    );
    expect(eventsB).toEqual(eventsA);
    for (const hub of [a, b]) {
      const view = (await hub.request("GET", `/api/v1/fleet/nodes/${node.id}`)).body as {
        connectivity: { state: string };
        enrolledAt: string | null;
      };
      expect([view.connectivity.state, view.enrolledAt === null]).toEqual(["online", false]);
    }

    // A command through A reaches the agent whose session B holds.
    const sync = await a.request("POST", `/api/v1/fleet/nodes/${node.id}/sync`);
    expect(sync).toEqual({ status: 200, body: { nodeId: node.id, result: { paths: 2 } } });
    const all = await a.request("POST", "/api/v1/fleet/sync-all");
    expect((all.body as { items: unknown[] }).items).toEqual([
      { nodeId: node.id, ok: true, result: { paths: 2 } },
    ]);

    // The token was used at B: A refuses it too.
    await using again = await startAgent({
      config: { hub: { url: a.linkUrl, enrolToken: node.token } },
    });
    await waitFor(
      async () => again.logs(),
      (logs) => logs.some((l) => JSON.stringify(l).includes("enrolment token already used")),
    );
    expect((await linkOf(again)).state).toBe("unauthorized");
    await again.stop();
  }, 55_000);
});
