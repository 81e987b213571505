import { credentials } from "@grpc/grpc-js";
import type { CredentialStore, LinkClient, LinkClientOptions } from "@mtx-fleet/agent";
import { createLinkClient } from "@mtx-fleet/agent";
import { MtxError } from "@mtx-fleet/plugin-api";
import { AgentLinkService, createClient, Environment } from "@mtx-fleet/proto";
import { freePort } from "@mtx-fleet/testkit";
import { afterEach, describe, expect, it } from "vitest";
import type { LinkServer, LinkServerOptions } from "./create-link-server.ts";
import { createLinkServer } from "./create-link-server.ts";
import type { MapLinkHandlers } from "./map-link-handlers.ts";
import { createMapLinkHandlers, createMemoryLogger, waitFor } from "./map-link-handlers.ts";

const NODE_A = { nodeId: "node-a", name: "edge-a", environment: Environment.PROD, labels: { site: "x" } };
const NODE_B = { nodeId: "node-b", name: "edge-b", environment: Environment.DEV, labels: {} };
// Heartbeats 8x faster than the stale threshold: a loaded CI box does not flap them.
const FAST = { heartbeatIntervalMs: 50, staleAfterMs: 400, offlineAfterMs: 800 } as const;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(
  map: MapLinkHandlers,
  options: Partial<LinkServerOptions> = {},
): Promise<LinkServer> {
  const server = await createLinkServer({
    host: "127.0.0.1",
    port: 0,
    handlers: map.handlers,
    logger: createMemoryLogger(),
    ...FAST,
    ...options,
  });
  cleanups.push(() => server.close());
  return server;
}

function memoryCredentials(initial?: string): CredentialStore & { value: string | undefined } {
  const store = {
    value: initial,
    get: async () => store.value,
    set: async (credential: string) => {
      store.value = credential;
    },
  };
  return store;
}

function startClient(server: LinkServer, options: Partial<LinkClientOptions>): LinkClient {
  const client = createLinkClient({
    hubUrl: server.address,
    credentialStore: memoryCredentials(),
    agentVersion: "9.9.9",
    hello: () => ({ capabilities: ["probe"], mediamtxVersion: "v1.15.3" }),
    commands: {},
    logger: createMemoryLogger(),
    backoff: { baseMs: 20, maxMs: 100 },
    unauthorizedRetryMs: 100,
    ...options,
  });
  cleanups.push(() => client.stop());
  return client;
}

function rawClient(server: LinkServer) {
  const client = createClient(AgentLinkService, server.address, credentials.createInsecure());
  cleanups.push(() => client[Symbol.dispose]());
  return client;
}

async function catchError(promise: Promise<unknown>): Promise<MtxError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MtxError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("link server and client", () => {
  it("enrols with a token, stores the credential, then opens a session that gets a welcome", async () => {
    const map = createMapLinkHandlers();
    map.tokens.set("tok-1", NODE_A);
    const server = await startServer(map);
    const store = memoryCredentials();
    const client = startClient(server, { credentialStore: store, enrolToken: "tok-1" });

    await waitFor(() => client.state() === "connected", 5_000, "connected");
    expect(store.value).toBe("cred-1-tok-1");
    expect(
      map.hellos.map(([nodeId, hello]) => [
        nodeId,
        hello.agentVersion,
        hello.capabilities,
        hello.mediamtxVersion,
      ]),
    ).toEqual([["node-a", "9.9.9", ["probe"], "v1.15.3"]]);
    expect(server.sessions.list().map(({ node, state }) => [node.nodeId, state])).toEqual([
      ["node-a", "online"],
    ]);

    const second = await catchError(
      rawClient(server).enrol({ token: "tok-1", agentVersion: "9.9.9", hostname: "h" }),
    );
    expect(second.toJSON()).toEqual({
      code: "MTX_UNAUTHORIZED",
      message: "enrol token is used, expired or unknown",
    });
  });

  it("leaves a client whose token is refused unauthorized, retrying without crashing", async () => {
    const map = createMapLinkHandlers();
    const server = await startServer(map);
    const logger = createMemoryLogger();
    const client = startClient(server, { enrolToken: "never-issued", logger });

    await waitFor(() => logger.records.filter((r) => r.level === "error").length >= 2, 5_000, "two refusals");
    expect(client.state()).toBe("unauthorized");
    expect(logger.records.find((r) => r.level === "error")?.msg).toMatch(/refused the enrol token/);

    // The operator issues the token: the next retry enrols.
    map.tokens.set("never-issued", NODE_A);
    await waitFor(() => client.state() === "connected", 5_000, "connected");
  });

  it("maps a refused credential to MTX_UNAUTHORIZED and the client state unauthorized", async () => {
    const map = createMapLinkHandlers();
    const server = await startServer(map);
    const client = startClient(server, { credentialStore: memoryCredentials("bogus") });
    await waitFor(() => client.state() === "unauthorized", 5_000, "unauthorized");

    const stream = rawClient(server).session({ metadata: { authorization: "Bearer bogus" } });
    await stream.send({ body: { case: "hello", value: { agentVersion: "1" } } }).catch(() => undefined);
    const error = await catchError(
      (async () => {
        for await (const _ of stream) {
          // no message is expected
        }
      })(),
    );
    expect([error.code, error.message, (error.cause as { code?: number }).code]).toEqual([
      "MTX_UNAUTHORIZED",
      "unknown node credential",
      16, // UNAUTHENTICATED
    ]);
  });

  it("keeps a heartbeating node online, and a silent one goes stale then offline", async () => {
    const map = createMapLinkHandlers();
    map.credentials.set("cred-a", NODE_A);
    map.credentials.set("cred-b", NODE_B);
    const server = await startServer(map);
    const client = startClient(server, { credentialStore: memoryCredentials("cred-a") });
    await waitFor(() => client.state() === "connected", 5_000, "connected");

    // Node B says hello and then nothing: its session stays open but it sends no heartbeat.
    const silent = rawClient(server).session({ metadata: { authorization: "Bearer cred-b" } });
    await silent.send({ body: { case: "hello", value: { agentVersion: "1" } } });
    const welcome = (await silent[Symbol.asyncIterator]().next()).value;
    expect(welcome?.body.case).toBe("welcome");

    await waitFor(() => server.sessions.state("node-b") === "offline", 5_000, "node-b offline");
    // Node A heartbeated all along (well past offlineAfterMs): never left online.
    expect(map.states.filter(([id]) => id === "node-a")).toEqual([["node-a", "online"]]);
    expect(map.states.filter(([id]) => id === "node-b")).toEqual([
      ["node-b", "online"],
      ["node-b", "stale"],
      ["node-b", "offline"],
    ]);

    await client.stop();
    await waitFor(() => server.sessions.state("node-a") === "offline", 5_000, "node-a offline");
    expect(map.states.filter(([id]) => id === "node-a")).toEqual([
      ["node-a", "online"],
      ["node-a", "stale"],
      ["node-a", "offline"],
    ]);
    expect(client.state()).toBe("stopped");
  });

  it("replaces a node's session with its newer one", async () => {
    const map = createMapLinkHandlers();
    map.credentials.set("cred-a", NODE_A);
    const server = await startServer(map);
    const raw = rawClient(server);
    const open = async () => {
      const stream = raw.session({ metadata: { authorization: "Bearer cred-a" } });
      await stream.send({ body: { case: "hello", value: { agentVersion: "1" } } });
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.value?.body.case !== "welcome") throw new Error("no welcome");
      return { iterator, sessionId: first.value.body.value.sessionId };
    };
    const first = await open();
    const second = await open();

    expect(await first.iterator.next()).toEqual({ done: true, value: undefined }); // ended by the hub
    expect(server.sessions.list().map((s) => s.sessionId)).toEqual([second.sessionId]);
    expect(server.sessions.state("node-a")).toBe("online");
    expect(map.states).toEqual([["node-a", "online"]]);
  });
});

describe("commands", () => {
  async function connected(commands: LinkClientOptions["commands"]) {
    const map = createMapLinkHandlers();
    map.credentials.set("cred-a", NODE_A);
    const server = await startServer(map);
    const client = startClient(server, { credentialStore: memoryCredentials("cred-a"), commands });
    await waitFor(() => client.state() === "connected", 5_000, "connected");
    return server;
  }

  it("runs a sync command on the agent and returns its result", async () => {
    const server = await connected({ sync: () => ({ paths: 3, full: true }) });
    const result = await server.sendCommand("node-a", { case: "sync", value: {} }, { timeoutMs: 2_000 });
    expect(result).toEqual({ commandId: expect.any(String), value: { paths: 3, full: true } });
  });

  it("gets an error answer for a kind the agent does not handle", async () => {
    const server = await connected({ sync: () => undefined });
    const error = await catchError(
      server.sendCommand("node-a", { case: "probe", value: { pathName: "cam1" } }),
    );
    expect(error.toJSON()).toEqual({
      code: "MTX_INVALID_INPUT",
      message: "this agent does not handle command kind 'probe'",
      details: { kind: "probe", supported: ["sync"], commandId: expect.any(String) },
    });
  });

  it("passes the agent handler's MtxError back to the hub", async () => {
    const server = await connected({
      probe: ({ pathName }) => {
        throw new MtxError("MTX_MEDIAMTX_NOT_FOUND", `no path ${pathName}`, { details: { pathName } });
      },
    });
    const error = await catchError(
      server.sendCommand("node-a", { case: "probe", value: { pathName: "cam9" } }),
    );
    expect([error.code, error.message, error.details?.pathName]).toEqual([
      "MTX_MEDIAMTX_NOT_FOUND",
      "no path cam9",
      "cam9",
    ]);
  });

  it("fails a command to a node without a session with MTX_NODE_OFFLINE", async () => {
    const server = await startServer(createMapLinkHandlers());
    const error = await catchError(server.sendCommand("node-z", { case: "sync", value: {} }));
    expect(error.toJSON()).toEqual({
      code: "MTX_NODE_OFFLINE",
      message: "node node-z has no live session with this hub",
      details: { nodeId: "node-z", state: "offline" },
    });
  });

  it("fails a command whose handler hangs with MTX_LINK_TIMEOUT", async () => {
    const server = await connected({ sync: () => new Promise(() => {}) });
    const error = await catchError(
      server.sendCommand("node-a", { case: "sync", value: {} }, { timeoutMs: 300 }),
    );
    expect(error.code).toBe("MTX_LINK_TIMEOUT");
  });

  it("tries the hub replicas' URLs in turn and moves to the next when its hub goes away", async () => {
    const map = createMapLinkHandlers();
    map.credentials.set("cred-x", NODE_A);
    const first = await startServer(map);
    const second = await startServer(map);
    const dead = `127.0.0.1:${await freePort()}`;
    const client = startClient(first, {
      hubUrl: [dead, first.address, second.address],
      credentialStore: memoryCredentials("cred-x"),
    });
    await waitFor(() => client.state() === "connected", 5_000, "connected past the dead URL");
    expect(client.hubUrl()).toBe(first.address);
    await first.close();
    await waitFor(
      () => client.state() === "connected" && client.hubUrl() === second.address,
      5_000,
      "moved to the second hub",
    );
    expect(second.sessions.list().map(({ node, state }) => [node.nodeId, state])).toEqual([
      ["node-a", "online"],
    ]);
  });
});
