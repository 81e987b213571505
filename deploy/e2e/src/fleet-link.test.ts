// The fleet over the gRPC link alone (no NATS): real simulator, agent and hub processes.
import { freePort, startAgent, startHub, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { createNode } from "./create-node.ts";

interface Page<T> {
  readonly items: T[];
  readonly itemCount: number;
}

describe("agent ↔ hub over the gRPC link", () => {
  it("enrols a node whose streams and events then appear at the hub, and serves sync", async () => {
    await using sim = await startSimulator({ config: { paths: { "cam/1": {}, "cam/2": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    await using hub = await startHub();
    const node = await createNode(hub, {
      name: "edge-1",
      environment: "dev",
      labels: { site: "lab" },
    });
    await using agent = await startAgent({
      config: {
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 500 },
        hub: { url: hub.linkUrl, enrolToken: node.token, telemetryIntervalMs: 500 },
      },
    });
    const streams = await waitFor(
      async () =>
        (await hub.request("GET", `/api/v1/streams?node=${node.id}`)).body as Page<{
          pathName: string;
          availability: string;
        }>,
      (page) => page.itemCount === 2,
    );
    expect(streams.items.map((s) => [s.pathName, s.availability]).sort()).toEqual([
      ["cam/1", "available"],
      ["cam/2", "unavailable"],
    ]);
    const events = await waitFor(
      async () => (await hub.request("GET", `/api/v1/events?node=${node.id}`)).body as Page<{ kind: string }>,
      (page) => page.items.some((e) => e.kind === "mediamtx.reachable"),
    );
    expect(events.items.map((e) => e.kind)).toContain("plugin.state");
    const status = (await agent.get("/api/v1/status")).body as { hub: { mode: string; state: string } };
    expect(status.hub).toEqual({ mode: "linked", url: hub.linkUrl, state: "connected" });
    const sync = await hub.request("POST", `/api/v1/fleet/nodes/${node.id}/sync`);
    expect(sync.status).toBe(200);
  });

  it("shows a new stream at the hub within 2 s of the agent's poll that found it", async () => {
    // The telemetry tick is 30 s here: only "streams changed → telemetry now" can meet 2 s.
    await using sim = await startSimulator({ config: { paths: { "~^live/.+$": {} } } });
    await using hub = await startHub();
    const node = await createNode(hub, { name: "edge-fast", environment: "dev", labels: {} });
    await using agent = await startAgent({
      config: {
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 500 },
        hub: { url: hub.linkUrl, enrolToken: node.token, telemetryIntervalMs: 30_000 },
      },
    });
    const hubPaths = async (): Promise<string[]> =>
      (
        (await hub.request("GET", `/api/v1/streams?node=${node.id}`)).body as Page<{ pathName: string }>
      ).items.map((s) => s.pathName);
    await waitFor(
      async () => ((await agent.get("/api/v1/status")).body as { hub: { state: string } }).hub.state,
      (state) => state === "connected",
    );
    await sim.control.publish("live/new", "synthetic");
    await waitFor(
      async () =>
        ((await agent.get("/api/v1/streams")).body as Page<{ name: string }>).items.map((p) => p.name),
      (names) => names.includes("live/new"),
      10_000,
      20,
    );
    const seenByAgentAt = Date.now();
    await waitFor(hubPaths, (paths) => paths.includes("live/new"), 10_000, 20);
    expect(Date.now() - seenByAgentAt).toBeLessThanOrEqual(2_000);
  });

  it("refuses a second use of the enrolment token with a clear error", async () => {
    await using hub = await startHub();
    const node = await createNode(hub, {
      name: "edge-2",
      environment: "dev",
      labels: { site: "lab" },
    });
    await using first = await startAgent({ config: { hub: { url: hub.linkUrl, enrolToken: node.token } } });
    await waitFor(
      async () => ((await first.get("/api/v1/status")).body as { hub: { state: string } }).hub.state,
      (state) => state === "connected",
    );
    await using second = await startAgent({ config: { hub: { url: hub.linkUrl, enrolToken: node.token } } });
    const state = await waitFor(
      async () => ((await second.get("/api/v1/status")).body as { hub: { state: string } }).hub.state,
      (s) => s === "unauthorized",
    );
    expect(state).toBe("unauthorized");
    await waitFor(
      async () => second.logs(),
      (logs) => logs.some((l) => JSON.stringify(l).includes("enrolment token already used")),
    );
  });

  it("delivers every event produced while the hub was down exactly once after it comes back", async () => {
    const [apiPort, linkPort] = [await freePort(), await freePort()];
    const hubConfig = { api: { port: apiPort }, link: { port: linkPort } };
    let hub = await startHub({ config: hubConfig });
    const dataDir = hub.dataDir;
    const node = await createNode(hub, {
      name: "edge-3",
      environment: "dev",
      labels: { site: "lab" },
    });
    await using agent = await startAgent({
      config: { hub: { url: hub.linkUrl, enrolToken: node.token, telemetryIntervalMs: 500 } },
    });
    await waitFor(
      async () => ((await agent.get("/api/v1/status")).body as { hub: { state: string } }).hub.state,
      (state) => state === "connected",
    );
    await hub.stop();
    // Each restart of a plugin is one `plugin.state` event in the agent's outbox.
    for (let i = 0; i < 5; i += 1)
      expect((await agent.post("/api/v1/plugins/system-metrics/restart")).status).toBe(200);
    const pending = (await agent.get("/api/v1/events?limit=100")).body as {
      items: Array<{ id: string; kind: string }>;
    };
    const producedIds = pending.items.map((e) => e.id);
    expect(producedIds.length).toBeGreaterThanOrEqual(5);
    hub = await startHub({ config: hubConfig, dataDir });
    try {
      const events = await waitFor(
        async () =>
          (await hub.request("GET", `/api/v1/events?node=${node.id}&perPage=500`)).body as Page<{
            id: string;
          }>,
        (page) => Array.isArray(page.items) && producedIds.every((id) => page.items.some((e) => e.id === id)),
        20_000,
      );
      const ids = events.items.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await hub[Symbol.asyncDispose]();
    }
  });
});
