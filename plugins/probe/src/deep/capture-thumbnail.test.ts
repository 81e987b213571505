import { spawnSync } from "node:child_process";
import { type StartedSimulator, startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureThumbnail } from "./capture-thumbnail.ts";
import { processGroupMembers } from "./process-group-members.ts";
import { startSilentServer } from "./test-support/start-silent-server.ts";

let sim: StartedSimulator;

beforeAll(async () => {
  sim = await startSimulator();
  await sim.control.publish("thumb/cam", "testsrc");
}, 60_000);

afterAll(async () => {
  await sim?.[Symbol.asyncDispose]();
});

/** What ffprobe reads from the bytes: a real check that they are a JPEG of that size. */
function jpegInfo(bytes: Uint8Array): { codec: string; width: number; height: number } {
  const out = spawnSync(
    "ffprobe",
    ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "json", "-i", "pipe:0"],
    {
      input: bytes,
    },
  );
  const stream = (
    JSON.parse(out.stdout.toString()) as { streams: { codec_name: string; width: number; height: number }[] }
  ).streams[0];
  return { codec: stream?.codec_name ?? "", width: stream?.width ?? 0, height: stream?.height ?? 0 };
}

const userAgent = "mtx-fleet-probe/test";

describe("captureThumbnail", () => {
  it("returns a small JPEG of the current picture, scaled to maxWidth", async () => {
    const jpeg = await captureThumbnail(`${sim.hlsUrl}/thumb/cam/index.m3u8`, { userAgent });
    expect(jpegInfo(jpeg)).toEqual({ codec: "mjpeg", width: 320, height: 180 });
    expect(jpeg.length).toBeLessThan(60_000);
    const small = await captureThumbnail(`${sim.rtmpUrl}/thumb/cam`, { userAgent, maxWidth: 200 });
    expect(jpegInfo(small)).toEqual({ codec: "mjpeg", width: 200, height: 112 });
  });

  it("never scales up", async () => {
    const jpeg = await captureThumbnail(`${sim.hlsUrl}/thumb/cam/index.m3u8`, { userAgent, maxWidth: 1920 });
    expect(jpegInfo(jpeg)).toMatchObject({ width: 640, height: 360 });
  });

  it("kills a hanging read at the timeout, leaving no process, and says so", async () => {
    await using source = await startSilentServer({ trickleAfter: "HTTP/1.1 200 OK\r\nX-Slow: " });
    let pgid = 0;
    const capture = captureThumbnail(`http://127.0.0.1:${source.port}/x.m3u8`, {
      userAgent,
      timeoutMs: 1_000,
      onSpawn: (id) => {
        pgid = id;
      },
    });
    await expect(capture).rejects.toMatchObject({ code: "MTX_PROBE_TIMEOUT" });
    expect(await processGroupMembers(pgid)).toEqual([]);
  });

  it("fails with ffmpeg's reason for a missing stream, and refuses what the policy forbids", async () => {
    await expect(
      captureThumbnail(`${sim.hlsUrl}/thumb/none/index.m3u8`, { userAgent }),
    ).rejects.toMatchObject({
      code: "MTX_PROBE_FAILED",
      message: expect.stringContaining("404"),
    });
    await expect(
      captureThumbnail(`${sim.hlsUrl}/thumb/cam/index.m3u8`, { userAgent, urlPolicy: {} }),
    ).rejects.toMatchObject({ code: "MTX_URL_FORBIDDEN" });
  });
});
