import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createLinkClient } from "@mtx-fleet/agent";
import { Environment } from "@mtx-fleet/proto";
import { createTempDir } from "@mtx-fleet/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { createLinkServer } from "./create-link-server.ts";
import { createMapLinkHandlers, createMemoryLogger, waitFor } from "./map-link-handlers.ts";

const run = promisify(execFile);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A self-signed certificate for 127.0.0.1, made with openssl in `dir`. */
async function selfSigned(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, "hub.crt");
  const key = join(dir, "hub.key");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=mtx-hub-test",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  return { cert, key };
}

describe("link over TLS", () => {
  it("opens a session when the agent trusts the hub's certificate, and not otherwise", async () => {
    const dir = await createTempDir("mtx-link-tls-");
    cleanups.push(async () => {
      await dir[Symbol.asyncDispose]();
    });
    const tls = await selfSigned(dir.path);
    const map = createMapLinkHandlers();
    map.credentials.set("cred-a", { nodeId: "node-a", name: "a", environment: Environment.DEV });
    const server = await createLinkServer({
      host: "127.0.0.1",
      port: 0,
      tls,
      handlers: map.handlers,
      logger: createMemoryLogger(),
    });
    cleanups.push(() => server.close());
    const start = (ca: string | undefined) => {
      const logger = createMemoryLogger();
      const client = createLinkClient({
        hubUrl: server.address,
        tls: ca === undefined ? {} : { ca },
        credentialStore: { get: async () => "cred-a", set: async () => {} },
        agentVersion: "1",
        hello: () => ({}),
        commands: {},
        logger,
        backoff: { baseMs: 20, maxMs: 100 },
      });
      cleanups.push(() => client.stop());
      return { client, logger };
    };

    const untrusting = start(undefined); // system roots only: the self-signed hub is refused
    await waitFor(
      () => untrusting.logger.records.some((r) => r.msg === "link failed; reconnecting"),
      5_000,
      "a failure",
    );
    expect(untrusting.client.state()).toBe("connecting");

    const trusting = start(tls.cert);
    await waitFor(() => trusting.client.state() === "connected", 5_000, "connected");
    expect(server.sessions.state("node-a")).toBe("online");
  });
});
