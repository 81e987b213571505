// The fleet with NATS: control over the gRPC link, events through JetStream, telemetry over
// NATS. Real nats-server, simulator, agent and hub processes.
import { startAgent, startHub, startNatsServer, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { createNode } from "./create-node.ts";

interface Page<T> {
  readonly items: T[];
  readonly itemCount: number;
}

describe("agent → NATS → hub", () => {
  it("carries streams and events through NATS, and loses nothing while NATS restarts", async () => {
    await using nats = await startNatsServer();
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    await using hub = await startHub({ config: { nats: { servers: [nats.url] } } });
    const node = await createNode(hub, {
      name: "edge-n",
      environment: "staging",
      labels: {},
    });
    await using agent = await startAgent({
      config: {
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 500 },
        hub: {
          url: hub.linkUrl,
          enrolToken: node.token,
          telemetryIntervalMs: 500,
          nats: { servers: [nats.url] },
        },
      },
    });
    const streams = await waitFor(
      async () =>
        (await hub.request("GET", `/api/v1/streams?node=${node.id}`)).body as Page<{ pathName: string }>,
      (page) => page.itemCount === 1,
    );
    expect(streams.items[0]?.pathName).toBe("cam/1");
    await waitFor(
      async () => (await hub.request("GET", `/api/v1/events?node=${node.id}`)).body as Page<{ kind: string }>,
      (page) => page.items.some((e) => e.kind === "mediamtx.reachable"),
    );

    await nats.stop();
    for (let i = 0; i < 5; i += 1)
      expect((await agent.post("/api/v1/plugins/system-metrics/restart")).status).toBe(200);
    const produced = (
      (await agent.get("/api/v1/events?limit=200")).body as { items: Array<{ id: string }> }
    ).items.map((e) => e.id);
    await nats.start();
    const events = await waitFor(
      async () =>
        (await hub.request("GET", `/api/v1/events?node=${node.id}&perPage=500`)).body as Page<{ id: string }>,
      (page) => Array.isArray(page.items) && produced.every((id) => page.items.some((e) => e.id === id)),
      30_000,
    );
    const ids = events.items.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
