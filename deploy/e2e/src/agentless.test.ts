// Agentless nodes: the hub runs an in-process agent for a MediaMTX it reaches over its API.
import { access } from "node:fs/promises";
import { join } from "node:path";
import { freePort, type StartedHub, startHub, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";

interface Page<T> {
  readonly items: T[];
  readonly itemCount: number;
}

interface StreamItem {
  readonly pathName: string;
  readonly availability: string;
}

async function createAgentlessNode(hub: StartedHub, name: string, apiUrl: string): Promise<string> {
  const created = await hub.request("POST", "/api/v1/fleet/nodes", {
    name,
    environment: "dev",
    labels: {},
    apiUrl,
  });
  expect(created.status).toBe(201);
  const body = created.body as { node: { id: string; kind: string }; enrolToken: unknown };
  expect([body.node.kind, body.enrolToken]).toEqual(["agentless", null]);
  return body.node.id;
}

const streamsOf = async (hub: StartedHub, nodeId: string): Promise<Page<StreamItem>> =>
  (await hub.request("GET", `/api/v1/streams?node=${nodeId}`)).body as Page<StreamItem>;

const pathAvailability = (page: Page<StreamItem>): string[][] =>
  page.items.map((s) => [s.pathName, s.availability]).sort();

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

describe("agentless nodes", () => {
  it("shows an agentless node's streams, follows them, and stops its agent when the node is deleted", async () => {
    await using sim = await startSimulator({ config: { paths: { "cam/1": {}, "cam/2": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    await using hub = await startHub();
    const nodeId = await createAgentlessNode(hub, "remote-1", sim.apiUrl);

    const first = await waitFor(
      () => streamsOf(hub, nodeId),
      (page) => page.itemCount === 2 && page.items.every((s) => s.availability !== "unknown"),
    );
    expect(pathAvailability(first)).toEqual([
      ["cam/1", "available"],
      ["cam/2", "unavailable"],
    ]);
    await sim.control.publish("cam/2", "synthetic");
    const second = await waitFor(
      () => streamsOf(hub, nodeId),
      (page) => page.items.every((s) => s.availability === "available"),
    );
    expect(pathAvailability(second)).toEqual([
      ["cam/1", "available"],
      ["cam/2", "available"],
    ]);
    const node = (await hub.request("GET", `/api/v1/fleet/nodes/${nodeId}`)).body as {
      connectivity: { state: string };
      agentless: unknown;
    };
    expect([node.connectivity.state, node.agentless]).toEqual([
      "online",
      { apiUrl: sim.apiUrl, username: null, hasPassword: false, rtspUrl: null },
    ]);
    const agentDir = join(hub.dataDir, "agentless", nodeId);
    expect(await exists(join(agentDir, "state.json"))).toBe(true);

    expect((await hub.request("DELETE", `/api/v1/fleet/nodes/${nodeId}`)).status).toBe(204);
    await waitFor(
      () => exists(agentDir),
      (present) => !present,
    );
    expect(hub.logs().some((line) => line.msg === "agentless node removed" && line.node === nodeId)).toBe(
      true,
    );
    expect((await hub.request("GET", `/api/v1/fleet/nodes/${nodeId}`)).status).toBe(404);
    expect((await streamsOf(hub, nodeId)).itemCount).toBe(0);
  });

  it("keeps an agentless node with an unreachable MediaMTX listed without disturbing the others", async () => {
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    await using hub = await startHub();
    const deadId = await createAgentlessNode(hub, "remote-dead", `http://127.0.0.1:${await freePort()}`);
    const liveId = await createAgentlessNode(hub, "remote-live", sim.apiUrl);

    const events = await waitFor(
      async () => (await hub.request("GET", `/api/v1/events?node=${deadId}`)).body as Page<{ kind: string }>,
      (page) => page.items.some((e) => e.kind === "mediamtx.unreachable"),
    );
    expect(events.items.map((e) => e.kind)).not.toContain("mediamtx.reachable");
    const dead = (await hub.request("GET", `/api/v1/fleet/nodes/${deadId}`)).body as {
      name: string;
      connectivity: { state: string };
    };
    expect([dead.name, dead.connectivity.state]).toEqual(["remote-dead", "online"]);
    expect((await streamsOf(hub, deadId)).itemCount).toBe(0);
    const live = await waitFor(
      () => streamsOf(hub, liveId),
      (page) => page.items.some((s) => s.availability === "available"),
    );
    expect(pathAvailability(live)).toEqual([["cam/1", "available"]]);
  });

  it("restarts an agentless node's agent with the hub, reusing its credential", async () => {
    await using sim = await startSimulator({ config: { paths: { "cam/1": {} } } });
    await sim.control.publish("cam/1", "synthetic");
    const [apiPort, linkPort] = [await freePort(), await freePort()];
    const hubConfig = { api: { port: apiPort }, link: { port: linkPort } };
    await using first = await startHub({ config: hubConfig });
    const nodeId = await createAgentlessNode(first, "remote-2", sim.apiUrl);
    await waitFor(
      () => streamsOf(first, nodeId),
      (page) => page.items.some((s) => s.availability === "available"),
    );
    expect(first.logs().filter((line) => line.msg === "node enrolled").length).toBe(1);
    await first.stop();

    await using second = await startHub({ config: hubConfig, dataDir: first.dataDir });
    await sim.control.unpublish("cam/1");
    const page = await waitFor(
      () => streamsOf(second, nodeId),
      (p) => p.items.some((s) => s.availability === "unavailable"),
    );
    expect(pathAvailability(page)).toEqual([["cam/1", "unavailable"]]);
    expect(second.logs().some((line) => line.msg === "node enrolled")).toBe(false);
  });
});
