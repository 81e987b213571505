import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createMediaMtxClient } from "./create-mediamtx-client.ts";
import { featuresForVersion } from "./features.ts";

/**
 * A MediaMTX built without git metadata reports `v0.0.0`; the simulator only mimics tagged
 * versions, so this stands in with the three replies detection reads.
 */
async function serveDevBuild(pathDefaults: object, global: object): Promise<Server> {
  const replies: Record<string, object> = {
    "/v3/info": { version: "v0.0.0", started: "2026-08-01T10:00:00Z" },
    "/v3/config/pathdefaults/get": pathDefaults,
    "/v3/config/global/get": global,
  };
  const server = createServer((req, res) => {
    const body = replies[req.url ?? ""];
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { status: "error", error: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

describe("version detection of a dev build (v0.0.0)", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("judges features by the newest config keys the node knows", async () => {
    server = await serveDevBuild({ name: "", alwaysAvailable: false, runOnAvailable: "" }, { moq: true });
    const { port } = server.address() as AddressInfo;
    const info = await createMediaMtxClient({ baseUrl: `http://127.0.0.1:${port}` }).info();
    expect(info).toEqual({
      version: "v0.0.0",
      started: "2026-08-01T10:00:00Z",
      features: featuresForVersion("v1.19.3"),
      featuresFrom: "sniffed",
    });
  });
});
