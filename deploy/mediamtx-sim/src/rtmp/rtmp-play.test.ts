// RTMP readers (workers, egress forwarders, the stream-health probe) with real ffmpeg/ffprobe.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { ffprobeJson } from "../media/index.ts";
import { publishRtmp, readRtmp, TEST_VIDEO } from "../test-support/ffmpeg-client.ts";
import { eventually, httpCall } from "../test-support/http-call.ts";

const append = (file: string, text: string) => `sh -c 'echo "${text}" >> ${file}'`;

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");
}

interface PathJson {
  available: boolean;
  readers: Array<{ type: string; id: string }>;
  outboundBytes: number;
}

type Streams = { streams: Array<{ codec_name: string; width?: number; height?: number }> };
const summary = (p: Streams) => p.streams.map((s) => [s.codec_name, s.width ?? null, s.height ?? null]);

describe("RTMP play", () => {
  it("serves an RTMP-published path to an ffmpeg reader listed as an rtmpConn reader with read hooks", async () => {
    await using sim = await startSimulator({
      config: {
        paths: {
          "live/cam": {
            runOnRead: append("read.log", "read $MTX_READER_TYPE $MTX_READER_ID $MTX_QUERY"),
            runOnUnread: append("read.log", "unread $MTX_READER_TYPE $MTX_READER_ID"),
          },
        },
      },
    });
    const api = (r: string) => httpCall(sim.apiUrl, "GET", r);
    await using _publisher = publishRtmp(`${sim.rtmpUrl}/live/cam`);
    await eventually(
      async () => ((await api("/v3/paths/get/live/cam")).json as PathJson).available || undefined,
      20_000,
    );

    const out = join(sim.workDir, "copy.flv");
    await using reader = readRtmp(`${sim.rtmpUrl}/live/cam?worker=1`, out, { seconds: 3 });
    const path = await eventually(async () => {
      const p = (await api("/v3/paths/get/live/cam")).json as PathJson;
      return p.readers.length > 0 && p.outboundBytes > 0 ? p : undefined;
    }, 15_000);
    const readerId = path.readers[0]?.id ?? "";
    expect(path.readers).toEqual([{ type: "rtmpConn", id: readerId }]);
    const conn = (await api(`/v3/rtmpconns/get/${readerId}`)).json as Record<string, unknown>;
    expect([conn.state, conn.path, conn.query]).toEqual(["read", "live/cam", "worker=1"]);
    const metrics = (await httpCall(sim.metricsUrl, "GET", `/metrics?path=live/cam`)).text;
    expect(metrics).toContain('paths_readers{name="live/cam",state="ready",readerType="rtmpConn"} 1');

    expect(await reader.exited).toBe(0);
    const copy = (await ffprobeJson(["-show_streams", out])) as Streams;
    expect(summary(copy)).toEqual([
      ["h264", TEST_VIDEO.width, TEST_VIDEO.height],
      ["aac", null, null],
    ]);
    await eventually(
      async () => ((await api("/v3/paths/get/live/cam")).json as PathJson).readers.length === 0 || undefined,
    );
    const hooks = await eventually(async () => {
      const l = await lines(join(sim.workDir, "read.log"));
      return l.length >= 2 ? l : undefined;
    }, 15_000);
    expect(hooks).toEqual([`read rtmpConn ${readerId} worker%3D1`, `unread rtmpConn ${readerId}`]);
  });

  it("serves a path published through the control endpoint, and refuses a path without a stream", async () => {
    await using sim = await startSimulator();
    await sim.control.publish("scn/cam", "testsrc");
    const probe = (await ffprobeJson(["-show_streams", `${sim.rtmpUrl}/scn/cam`], {
      timeoutMs: 20_000,
    })) as Streams;
    expect(summary(probe)).toEqual([
      ["h264", 640, 360],
      ["aac", null, null],
    ]);
    await expect(
      ffprobeJson(["-show_streams", `${sim.rtmpUrl}/ghost/cam`], { timeoutMs: 15_000 }),
    ).rejects.toThrow();
    await eventually(async () =>
      sim.stderr().includes("closed: no stream is available on path 'ghost/cam'") ? true : undefined,
    );
  });
});
