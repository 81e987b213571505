// RTMP ingest with a real ffmpeg publisher, checked through the Control API, hooks, metrics and
// a real ffprobe over the simulator's HLS output.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { ffprobeJson } from "../media/index.ts";
import { publishRtmp, TEST_VIDEO } from "../test-support/ffmpeg-client.ts";
import { eventually, httpCall, simConfigText } from "../test-support/http-call.ts";

const append = (file: string, text: string) => `sh -c 'echo "${text}" >> ${file}'`;

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");
}

interface PathJson {
  available: boolean;
  source: { type: string; id: string } | null;
  tracks: string[];
  tracks2: unknown[];
  inboundBytes: number;
  readers: unknown[];
}

interface RtmpConnJson {
  id: string;
  state: string;
  path: string;
  query: string;
  user: string;
  userAgent: string;
  remoteAddr: string;
  inboundBytes: number;
}

describe("RTMP publish", () => {
  it("makes the path available with the published tracks, fires the hooks and serves the media over HLS", async () => {
    await using sim = await startSimulator({
      config: {
        runOnConnect: append("conn.log", "connect $MTX_CONN_TYPE $MTX_CONN_ID"),
        runOnDisconnect: append("conn.log", "disconnect $MTX_CONN_TYPE $MTX_CONN_ID"),
        paths: {
          "live/cam1": {
            runOnReady: append("ready.log", "ready $MTX_SOURCE_TYPE $MTX_SOURCE_ID"),
            runOnAvailable: append("events.log", "available $MTX_SOURCE_TYPE $MTX_SOURCE_ID $MTX_QUERY"),
            runOnOnline: append("events.log", "online $MTX_SOURCE_TYPE"),
            runOnUnavailable: append("events.log", "unavailable $MTX_SOURCE_TYPE"),
            runOnOffline: append("events.log", "offline $MTX_SOURCE_TYPE"),
          },
        },
      },
    });
    expect(sim.rtmpUrl).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+$/);
    const api = (m: string, r: string) => httpCall(sim.apiUrl, m, r);
    await using _publisher = publishRtmp(`${sim.rtmpUrl}/live/cam1?token=a%20b&x=1`);
    const path = await eventually(async () => {
      const p = (await api("GET", "/v3/paths/get/live/cam1")).json as PathJson;
      return p.available ? p : undefined;
    }, 20_000);
    expect(path.source?.type).toBe("rtmpConn");
    expect(path.tracks).toEqual(["H264", "MPEG-4 Audio"]);
    const id = path.source?.id ?? "";
    const conn = (await api("GET", `/v3/rtmpconns/get/${id}`)).json as RtmpConnJson;
    expect({ ...conn, remoteAddr: conn.remoteAddr.replace(/\d+$/, "P"), inboundBytes: 0 }).toMatchObject({
      id,
      state: "publish",
      path: "live/cam1",
      query: "token=a%20b&x=1",
      user: "",
      userAgent: expect.stringMatching(/^FMLE\/3\.0 \(compatible; Lavf/),
      remoteAddr: "127.0.0.1:P",
    });
    const list = (await api("GET", "/v3/rtmpconns/list")).json as {
      itemCount: number;
      items: RtmpConnJson[];
    };
    expect(list.items.map((c) => c.id)).toEqual([id]);

    // inboundBytes are the bytes really received, so they keep growing.
    const before = path.inboundBytes;
    await eventually(async () => {
      const p = (await api("GET", "/v3/paths/get/live/cam1")).json as PathJson;
      return p.inboundBytes > before ? true : undefined;
    });

    const probe = (await ffprobeJson(["-show_streams", `${sim.hlsUrl}/live/cam1/index.m3u8`], {
      timeoutMs: 20_000,
    })) as { streams: Array<{ codec_name: string; width?: number; height?: number; level?: number }> };
    expect(probe.streams.map((s) => [s.codec_name, s.width ?? null, s.height ?? null])).toEqual([
      ["h264", TEST_VIDEO.width, TEST_VIDEO.height],
      ["aac", null, null],
    ]);
    // tracks2 is read from the SPS the publisher sent: the level ffprobe sees on the output.
    const level = probe.streams[0]?.level ?? 0;
    expect(path.tracks2).toEqual([
      {
        codec: "H264",
        codecProps: {
          ...TEST_VIDEO,
          profile: "Baseline",
          level: `${Math.floor(level / 10)}.${level % 10}`.replace(/\.0$/, ""),
        },
      },
      { codec: "MPEG-4 Audio", codecProps: { sampleRate: 48000, channelCount: 1 } },
    ]);

    const metrics = (await httpCall(sim.metricsUrl, "GET", "/metrics?type=rtmp_conns")).text;
    expect(metrics).toContain(
      `rtmp_conns{id="${id}",path="live/cam1",remoteAddr="${conn.remoteAddr}",state="publish"} 1`,
    );

    const events = (n: number) =>
      eventually(async () => {
        const l = await lines(join(sim.workDir, "events.log"));
        return l.length >= n ? l : undefined;
      }, 15_000);
    expect([...(await events(2))].sort()).toEqual(
      // MTX_QUERY is URL-escaped once more (v1.18.1+).
      [`available rtmpConn ${id} token%3Da%2520b%26x%3D1`, "online rtmpConn"].sort(),
    );

    // Kick: the connection closes, the path becomes unavailable, the closing hooks run.
    expect((await api("POST", `/v3/rtmpconns/kick/${id}`)).json).toEqual({ status: "ok" });
    const after = (await api("GET", "/v3/paths/get/live/cam1")).json as PathJson;
    expect([after.available, after.source, after.inboundBytes]).toEqual([false, null, 0]);
    expect((await api("GET", `/v3/rtmpconns/get/${id}`)).status).toBe(404);
    expect([...(await events(4))].slice(2).sort()).toEqual(["offline rtmpConn", "unavailable rtmpConn"]);
    const conns = await eventually(async () => {
      const l = await lines(join(sim.workDir, "conn.log"));
      return l.length >= 2 ? l : undefined;
    }, 15_000);
    expect(conns).toEqual([`connect rtmpConn ${id}`, `disconnect rtmpConn ${id}`]);
    expect(await lines(join(sim.workDir, "ready.log"))).toEqual([]); // deprecated name: not run on v1.20
  });

  it("refuses a publisher whose path matches no configuration, and closes its connection", async () => {
    await using sim = await startSimulator({ configText: simConfigText({ paths: { cam: {} } }) });
    await using publisher = publishRtmp(`${sim.rtmpUrl}/other/stream`, { seconds: 5 });
    expect(await publisher.exited).not.toBe(0);
    await eventually(async () =>
      sim.stderr().includes("closed: path 'other/stream' is not configured") ? true : undefined,
    );
    const list = (await httpCall(sim.apiUrl, "GET", "/v3/rtmpconns/list")).json as { itemCount: number };
    expect(list.itemCount).toBe(0);
    expect((await httpCall(sim.apiUrl, "GET", "/v3/paths/get/other/stream")).status).toBe(404);
  });

  it("authenticates publishers with the user/pass query parameters", async () => {
    await using sim = await startSimulator({
      config: {
        authInternalUsers: [
          { user: "cam", pass: "secret", ips: [], permissions: [{ action: "publish", path: "" }] },
          {
            user: "any",
            pass: "",
            ips: ["127.0.0.1"],
            permissions: [{ action: "api" }, { action: "metrics" }],
          },
        ],
      },
    });
    await using refused = publishRtmp(`${sim.rtmpUrl}/live/a?user=cam&pass=wrong`, { seconds: 5 });
    expect(await refused.exited).not.toBe(0);
    await using _accepted = publishRtmp(`${sim.rtmpUrl}/live/b?user=cam&pass=secret`);
    const conn = await eventually(async () => {
      const list = (await httpCall(sim.apiUrl, "GET", "/v3/rtmpconns/list")).json as {
        items: RtmpConnJson[];
      };
      return list.items.find((c) => c.state === "publish");
    }, 20_000);
    expect([conn.path, conn.user, conn.query]).toEqual(["live/b", "cam", "user=cam&pass=secret"]);
    expect(sim.stderr()).toContain("closed: authentication failed");
  });

  it("lets a second publisher take over by default and refuses it with overridePublisher: false", async () => {
    await using sim = await startSimulator({ config: { paths: { locked: { overridePublisher: false } } } });
    const sourceOf = async (name: string) =>
      ((await httpCall(sim.apiUrl, "GET", `/v3/paths/get/${name}`)).json as PathJson).source?.id;
    await using first = publishRtmp(`${sim.rtmpUrl}/open`);
    await using firstLocked = publishRtmp(`${sim.rtmpUrl}/locked`);
    const firstId = await eventually(() => sourceOf("open"), 20_000);
    const lockedId = await eventually(() => sourceOf("locked"), 20_000);
    await using _second = publishRtmp(`${sim.rtmpUrl}/open`);
    await using secondLocked = publishRtmp(`${sim.rtmpUrl}/locked`, { seconds: 10 });
    await eventually(async () => {
      const id = await sourceOf("open");
      return id !== undefined && id !== firstId ? id : undefined;
    }, 20_000);
    expect(await first.exited).not.toBe(0); // kicked: ffmpeg sees its connection closed
    expect(await secondLocked.exited).not.toBe(0);
    expect(sim.stderr()).toContain("someone is already publishing to path 'locked'");
    expect(await sourceOf("locked")).toBe(lockedId);
    await firstLocked.stop();
  });
});
