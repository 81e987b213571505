// Recording of an RTMP publisher: segments remuxed from what was published.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { ffprobeJson } from "../media/index.ts";
import { publishRtmp, TEST_VIDEO } from "../test-support/ffmpeg-client.ts";
import { eventually, httpCall } from "../test-support/http-call.ts";

describe("recording an RTMP publisher", () => {
  it("writes segments of the published media and runs the segment hooks", async () => {
    await using sim = await startSimulator({
      config: {
        paths: {
          rec: {
            record: true,
            recordSegmentDuration: "1s",
            recordPartDuration: "200ms",
            runOnRecordSegmentComplete: "sh -c 'echo $MTX_SEGMENT_PATH $MTX_SEGMENT_DURATION >> done.log'",
          },
        },
      },
    });
    await using publisher = publishRtmp(`${sim.rtmpUrl}/rec`);
    const done = await eventually(async () => {
      const l = (await readFile(join(sim.workDir, "done.log"), "utf8").catch(() => ""))
        .split("\n")
        .filter(Boolean);
      return l.length >= 2 ? l : undefined;
    }, 25_000);
    const [file, seconds] = (done[0] ?? "").split(" ");
    expect(file).toMatch(/^\.\/recordings\/rec\/\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d-\d{6}\.mp4$/);
    expect(Number(seconds)).toBeGreaterThanOrEqual(0.9);
    expect(Number(seconds)).toBeLessThan(2.5);
    const probe = (await ffprobeJson(["-show_streams", join(sim.workDir, file ?? "")])) as {
      streams: Array<{ codec_name: string; width?: number }>;
    };
    expect(probe.streams.map((s) => [s.codec_name, s.width ?? null])).toEqual([
      ["h264", TEST_VIDEO.width],
      ["aac", null],
    ]);
    await publisher.stop();
    const rec = (await httpCall(sim.apiUrl, "GET", "/v3/recordings/get/rec")).json as {
      segments: Array<{ start: string }>;
    };
    expect(rec.segments.length).toBeGreaterThanOrEqual(2);
  });
});
