// Probe any URL: the policy is enforced by the engine itself, on the first connection and on
// every later one ffmpeg makes (HTTP redirects, HLS segments, RTSP redirects, DNS rebinding).
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { MtxError } from "@mtx-fleet/plugin-api";
import { type StartedSimulator, startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResolveHost } from "./check-probe-url.ts";
import { runDeepProbe } from "./run-deep-probe.ts";
import { probeRequest } from "./test-support/probe-request.ts";
import { startSilentServer } from "./test-support/start-silent-server.ts";

let sim: StartedSimulator;

beforeAll(async () => {
  sim = await startSimulator();
  await sim.control.publish("any/cam", "testsrc");
}, 60_000);

afterAll(async () => {
  await sim?.[Symbol.asyncDispose]();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; details: unknown }> {
  const e = await promise.then(
    (r) => expect.fail(`resolved with ${JSON.stringify(r)}`),
    (error: unknown) => error,
  );
  if (!(e instanceof MtxError)) throw e;
  return { code: e.code, details: e.details };
}

/** Only 127.0.0.1 is allowed: 127.0.0.2 stands for "some internal host". */
const policy = { allowNetworks: ["127.0.0.1/32"] };

describe("runDeepProbe with a URL policy", () => {
  it("refuses loopback by default without starting ffmpeg", async () => {
    let spawned = false;
    const request = probeRequest(`${sim.hlsUrl}/any/cam/index.m3u8`, { urlPolicy: {} });
    const refused = await rejection(runDeepProbe(request, { onSpawn: () => (spawned = true) }));
    expect({ ...refused, spawned }).toEqual({
      code: "MTX_URL_FORBIDDEN",
      details: expect.objectContaining({ reason: "address", address: "127.0.0.1", addressClass: "loopback" }),
      spawned: false,
    });
  });

  it("probes an allowed HLS URL through the checking proxy (playlist and segments)", async () => {
    const result = await runDeepProbe(
      probeRequest(`${sim.hlsUrl}/any/cam/index.m3u8`, { sampleSeconds: 1, urlPolicy: policy }),
    );
    expect(result.kind === "measured" && result.measurement.video?.codec).toBe("h264");
  });

  it("probes an allowed RTMP URL by the address it checked, never looking the name up again", async () => {
    // ffmpeg cannot resolve `cam.test` (no such name anywhere): it only works because the
    // engine put the checked address into the URL.
    const resolve: ResolveHost = async () => [{ address: "127.0.0.1", family: 4 }];
    const url = `${sim.rtmpUrl.replace("127.0.0.1", "cam.test")}/any/cam`;
    const result = await runDeepProbe(
      probeRequest(url, { sampleSeconds: 1, urlPolicy: { ...policy, resolve } }),
    );
    expect(result.kind === "measured" && result.measurement.video?.codec).toBe("h264");
  });

  it("refuses an HTTP redirect to a forbidden address before anything connects to it", async () => {
    await using internal = await startSilentServer({ host: "127.0.0.2" });
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.2:${internal.port}/secret/index.m3u8` });
      res.end();
    });
    const port = await listen(redirector);
    try {
      const refused = await rejection(
        runDeepProbe(probeRequest(`http://127.0.0.1:${port}/x/index.m3u8`, { urlPolicy: policy })),
      );
      expect({ ...refused, reached: internal.accepted }).toEqual({
        code: "MTX_URL_FORBIDDEN",
        details: expect.objectContaining({ reason: "address", address: "127.0.0.2" }),
        reached: 0,
      });
    } finally {
      redirector.close();
    }
  });

  it("refuses an HLS playlist whose segments live on a forbidden host", async () => {
    await using internal = await startSilentServer({ host: "127.0.0.2" });
    const playlist = [
      "#EXTM3U",
      "#EXT-X-VERSION:3",
      "#EXT-X-TARGETDURATION:1",
      "#EXT-X-MEDIA-SEQUENCE:0",
      "#EXTINF:1.0,",
      `http://127.0.0.2:${internal.port}/seg0.ts`,
      "#EXTINF:1.0,",
      `http://127.0.0.2:${internal.port}/seg1.ts`,
      "",
    ].join("\n");
    const origin = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/vnd.apple.mpegurl" });
      res.end(playlist);
    });
    const port = await listen(origin);
    try {
      const refused = await rejection(
        runDeepProbe(probeRequest(`http://127.0.0.1:${port}/cam/index.m3u8`, { urlPolicy: policy })),
      );
      expect({ code: refused.code, reached: internal.accepted }).toEqual({
        code: "MTX_URL_FORBIDDEN",
        reached: 0,
      });
    } finally {
      origin.close();
    }
  });

  it("refuses when the name rebinds to a forbidden address between the check and a later request", async () => {
    let calls = 0;
    const resolve: ResolveHost = async () => [
      { address: ++calls <= 2 ? "127.0.0.1" : "127.0.0.2", family: 4 },
    ];
    const url = `${sim.hlsUrl.replace("127.0.0.1", "cam.test")}/any/cam/index.m3u8`;
    const refused = await rejection(runDeepProbe(probeRequest(url, { urlPolicy: { ...policy, resolve } })));
    expect(refused).toMatchObject({ code: "MTX_URL_FORBIDDEN", details: { address: "127.0.0.2" } });
  });

  it("refuses an RTSP redirect (ffmpeg would follow it to an address nobody checked)", async () => {
    const server = createTcpServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () =>
        socket.write("RTSP/1.0 302 Moved\r\nCSeq: 1\r\nLocation: rtsp://127.0.0.2:9/x\r\n\r\n"),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const refused = await rejection(
        runDeepProbe(probeRequest(`rtsp://127.0.0.1:${port}/cam`, { urlPolicy: policy })),
      );
      expect(refused).toMatchObject({ code: "MTX_URL_FORBIDDEN", details: { reason: "redirect" } });
    } finally {
      server.close();
    }
  });

  it("refuses a scheme that is not allowed", async () => {
    const refused = await rejection(runDeepProbe(probeRequest("file:///etc/passwd", { urlPolicy: {} })));
    expect(refused).toMatchObject({ code: "MTX_URL_FORBIDDEN", details: { reason: "scheme" } });
  });
});
