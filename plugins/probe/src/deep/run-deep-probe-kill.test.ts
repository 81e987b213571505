// Hanging sources: the probe is killed at its hard timeout (or on abort) as a whole process
// tree, and /proc shows nothing of it afterwards: no process, no zombie.
import { waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { processGroupMembers } from "./process-group-members.ts";
import { runDeepProbe } from "./run-deep-probe.ts";
import { probeRequest } from "./test-support/probe-request.ts";
import { startSilentServer } from "./test-support/start-silent-server.ts";

async function probeTracked(url: string, timeoutMs: number, signal?: AbortSignal) {
  let pgid: number | undefined;
  const request = probeRequest(url, { timeoutMs, ...(signal === undefined ? {} : { signal }) });
  const result = await runDeepProbe(request, {
    onSpawn: (id) => {
      pgid = id;
    },
  });
  if (pgid === undefined) return expect.fail("ffmpeg was never spawned");
  return { result, leftovers: await processGroupMembers(pgid) };
}

describe("runDeepProbe against a hanging source", () => {
  it("kills an HTTP/HLS read that trickles bytes forever at the hard timeout, leaving nothing", async () => {
    await using source = await startSilentServer({ trickleAfter: "HTTP/1.1 200 OK\r\nX-Slow: " });
    const { result, leftovers } = await probeTracked(
      `http://127.0.0.1:${source.port}/live/x/index.m3u8`,
      1_500,
    );
    expect({ kind: result.kind, leftovers }).toEqual({ kind: "timeout", leftovers: [] });
    expect(result.kind === "timeout" && result.elapsedMs).toBeGreaterThanOrEqual(1_500);
    expect(source.accepted).toBe(1);
    await waitFor(
      async () => source.open,
      (open) => open === 0,
    );
  });

  it("kills an RTSP read whose server never finishes its answer", async () => {
    await using source = await startSilentServer({ trickleAfter: "RTSP/1.0 200 OK\r\nCSeq: 1\r\nX-Slow: " });
    const { result, leftovers } = await probeTracked(`rtsp://127.0.0.1:${source.port}/live/x`, 1_500);
    expect({ kind: result.kind, leftovers, accepted: source.accepted }).toEqual({
      kind: "timeout",
      leftovers: [],
      accepted: 1,
    });
  });

  it("kills an RTMP read stuck in the handshake", async () => {
    await using source = await startSilentServer();
    // Shorter than the socket timeout (at least 500 ms): the hard kill, not ffmpeg, ends it.
    const { result, leftovers } = await probeTracked(`rtmp://127.0.0.1:${source.port}/live/x`, 400);
    expect({ kind: result.kind, leftovers }).toEqual({ kind: "timeout", leftovers: [] });
  });

  it("lets ffmpeg's socket timeout fail a silent server before the hard timeout, with its message", async () => {
    await using source = await startSilentServer();
    const { result, leftovers } = await probeTracked(`http://127.0.0.1:${source.port}/x.m3u8`, 3_000);
    expect({ kind: result.kind, leftovers }).toEqual({ kind: "failed", leftovers: [] });
    expect(result.kind === "failed" && result.message).toMatch(/timed out|Connection/i);
  });

  it("kills the tree when the plugin aborts", async () => {
    await using source = await startSilentServer({ trickleAfter: "HTTP/1.1 200 OK\r\nX-Slow: " });
    const controller = new AbortController();
    const running = probeTracked(`http://127.0.0.1:${source.port}/x.m3u8`, 20_000, controller.signal);
    await waitFor(
      async () => source.open,
      (open) => open === 1,
    );
    controller.abort();
    const { result, leftovers } = await running;
    expect({ kind: result.kind, leftovers }).toEqual({ kind: "aborted", leftovers: [] });
  });
});
