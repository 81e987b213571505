import { describe, expect, it } from "vitest";
import { testStreamArgs } from "./test-stream-args.ts";

describe("testStreamArgs", () => {
  it("publishes over RTMP as FLV, over RTSP on TCP and over SRT as MPEG-TS, in real time", () => {
    const tail = (url: string) => testStreamArgs("testsrc", url).slice(-5);
    expect(tail("rtmp://127.0.0.1:1935/live/cam").slice(-3)).toEqual([
      "-f",
      "flv",
      "rtmp://127.0.0.1:1935/live/cam",
    ]);
    expect(tail("rtsp://127.0.0.1:8554/cam")).toEqual([
      "-f",
      "rtsp",
      "-rtsp_transport",
      "tcp",
      "rtsp://127.0.0.1:8554/cam",
    ]);
    expect(tail("srt://127.0.0.1:8890?streamid=publish:cam").slice(-3)).toEqual([
      "-f",
      "mpegts",
      "srt://127.0.0.1:8890?streamid=publish:cam",
    ]);
    expect(testStreamArgs("testsrc", "rtmp://h/p")).toContain("-re");
  });

  it("uses the simulator's sources: black, still bars, silence, no audio, 5 fps declared as 25", () => {
    const graph = (s: Parameters<typeof testStreamArgs>[0]) => {
      const args = testStreamArgs(s, "rtmp://h/p");
      return args[args.indexOf("-i") + 1];
    };
    expect(graph("black")).toBe(
      "color=c=black:size=640x360:rate=25[out0];sine=frequency=440:sample_rate=48000[out1]",
    );
    expect(graph("frozen")).toMatch(/^smptebars=/);
    expect(graph("silent")).toMatch(/;anullsrc=channel_layout=mono:sample_rate=48000\[out1\]$/);
    expect(graph("noaudio")).toBe("testsrc2=size=640x360:rate=25[out0]");
    expect(graph("lowfps")).toMatch(/^testsrc2=size=640x360:rate=5\[out0\]/);
    const lowfps = testStreamArgs("lowfps", "rtmp://h/p");
    expect(lowfps.slice(lowfps.indexOf("-x264-params"), lowfps.indexOf("-x264-params") + 2)).toEqual([
      "-x264-params",
      "fps=25",
    ]);
    expect(testStreamArgs("noaudio", "rtmp://h/p")).not.toContain("-c:a");
  });

  it("limits the duration when asked, and refuses URLs it cannot publish to", () => {
    const args = testStreamArgs("testsrc", "rtmp://h/p", { durationSeconds: 7 });
    expect(args.slice(args.indexOf("-t"), args.indexOf("-t") + 2)).toEqual(["-t", "7"]);
    expect(() => testStreamArgs("testsrc", "http://h/p.m3u8")).toThrow(
      expect.objectContaining({ code: "MTX_INVALID_INPUT" }),
    );
  });
});
