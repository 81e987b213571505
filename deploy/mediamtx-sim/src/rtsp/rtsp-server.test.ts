// The RTSP server (TCP interleaved) with real ffprobe/ffmpeg readers and an ffmpeg publisher,
// checked through the Control API, hooks and the HLS output.
import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { ffprobeJson, runTool } from "../media/index.ts";
import { publishRtsp, TEST_VIDEO } from "../test-support/ffmpeg-client.ts";
import { eventually, httpCall, simConfigText } from "../test-support/http-call.ts";

const append = (file: string, text: string) => `sh -c 'echo "${text}" >> ${file}'`;

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");
}

/** One raw RTSP request on a fresh connection; resolves with the response head. */
function rtspRequest(url: string, lines: string[]): Promise<string> {
  const { hostname, port } = new URL(url.replace(/^rtsp:/, "http:"));
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname);
    let got = "";
    s.on("data", (d) => {
      got += d.toString("latin1");
      if (got.includes("\r\n\r\n")) {
        s.destroy();
        resolve(got.split("\r\n\r\n")[0] ?? "");
      }
    });
    s.on("error", reject);
    s.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

interface SessionJson {
  id: string;
  state: string;
  path: string;
  query: string;
  userAgent: string;
  transport: string;
  conns: string[];
  outboundBytes: number;
  inboundBytes: number;
  outboundRTPPackets: number;
  outboundRTCPPackets: number;
  inboundRTPPackets: number;
}

describe("RTSP server", () => {
  it("serves a scenario to ffprobe over TCP, lists the reader, fires the read hooks and answers 404 without a stream", async () => {
    await using sim = await startSimulator({
      config: {
        runOnConnect: append("conn.log", "connect $MTX_CONN_TYPE"),
        paths: {
          cam: {
            runOnRead: append("read.log", "read $MTX_READER_TYPE $MTX_READER_ID $MTX_QUERY"),
            runOnUnread: append("read.log", "unread $MTX_READER_TYPE $MTX_READER_ID"),
          },
        },
      },
    });
    expect(sim.rtspUrl).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+$/);
    await sim.control.publish("cam", "testsrc");
    const probe = (await ffprobeJson(
      ["-rtsp_transport", "tcp", "-show_streams", `${sim.rtspUrl}/cam?probe=1`],
      { timeoutMs: 30_000 },
    )) as { streams: Array<{ codec_name: string; width?: number; height?: number }> };
    expect(probe.streams.map((s) => [s.codec_name, s.width ?? 0, s.height ?? 0])).toEqual([
      ["h264", 640, 360],
      ["aac", 0, 0],
    ]);
    const hooks = await eventually(async () => {
      const l = await lines(join(sim.workDir, "read.log"));
      return l.length >= 2 ? l : undefined;
    }, 15_000);
    expect(hooks[0]).toMatch(/^read rtspSession [0-9a-f-]{36} probe%3D1$/);
    expect(hooks[1]).toBe(`unread rtspSession ${hooks[0]?.split(" ")[2]}`);
    expect(await lines(join(sim.workDir, "conn.log"))).toContain("connect rtspConn");

    const noStream = await rtspRequest(sim.rtspUrl, [`DESCRIBE ${sim.rtspUrl}/nope/x RTSP/1.0`, "CSeq: 1"]);
    expect(noStream.split("\r\n")[0]).toBe("RTSP/1.0 404 Not Found");
  });

  it("keeps a reading session listed with its counters until it is kicked", async () => {
    await using sim = await startSimulator();
    await sim.control.publish("cam", "testsrc");
    const api = (m: string, r: string) => httpCall(sim.apiUrl, m, r);
    const reader = runTool(
      "ffmpeg",
      [
        "-v",
        "error",
        "-nostdin",
        "-rtsp_transport",
        "tcp",
        "-i",
        `${sim.rtspUrl}/cam?w=1`,
        "-c",
        "copy",
        "-f",
        "null",
        "-",
      ],
      { timeoutMs: 60_000 },
    ).catch((e: unknown) => e);
    const session = await eventually(async () => {
      const l = (await api("GET", "/v3/rtspsessions/list")).json as { items: SessionJson[] };
      const s = l.items[0];
      return s !== undefined && s.state === "read" && s.outboundBytes > 20_000 ? s : undefined;
    }, 20_000);
    expect({ ...session, id: "", conns: [], outboundBytes: 0 }).toMatchObject({
      state: "read",
      path: "cam",
      query: "w=1",
      userAgent: expect.stringMatching(/^Lavf\d/),
      transport: "TCP",
    });
    // Counted packets: at least one per 1400 payload bytes, and an RTCP sender report per track.
    expect(session.outboundRTPPackets).toBeGreaterThan(session.outboundBytes / 1400);
    expect(session.outboundRTCPPackets).toBeGreaterThanOrEqual(1);
    const conns = (await api("GET", "/v3/rtspconns/list")).json as {
      items: Array<{ id: string; session: string }>;
    };
    expect(conns.items.map((c) => c.session)).toEqual([session.id]);
    expect(session.conns).toEqual([conns.items[0]?.id]);
    const path = (await api("GET", "/v3/paths/get/cam")).json as { readers: unknown[] };
    expect(path.readers).toEqual([{ type: "rtspSession", id: session.id }]);

    expect((await api("POST", `/v3/rtspsessions/kick/${session.id}`)).json).toEqual({ status: "ok" });
    await reader; // ffmpeg ends once its connection is closed
    await eventually(async () => {
      const l = (await api("GET", "/v3/rtspsessions/list")).json as { itemCount: number };
      const c = (await api("GET", "/v3/rtspconns/list")).json as { itemCount: number };
      return l.itemCount === 0 && c.itemCount === 0 ? true : undefined;
    }, 10_000);
  });

  it("takes an ffmpeg RTSP publisher: the path becomes available with its tracks and is readable over HLS", async () => {
    await using sim = await startSimulator({
      config: {
        paths: {
          "live/x": {
            runOnReady: append("ready.log", "ready $MTX_SOURCE_TYPE $MTX_SOURCE_ID $MTX_QUERY"),
            runOnNotReady: append("ready.log", "notready $MTX_SOURCE_TYPE"),
          },
        },
      },
    });
    const api = (m: string, r: string) => httpCall(sim.apiUrl, m, r);
    await using publisher = publishRtsp(`${sim.rtspUrl}/live/x?k=v`);
    const path = await eventually(async () => {
      const p = (await api("GET", "/v3/paths/get/live/x")).json as {
        available: boolean;
        source: { type: string; id: string } | null;
        tracks2: unknown[];
        inboundBytes: number;
      };
      return p.available ? p : undefined;
    }, 20_000);
    expect(path.source?.type).toBe("rtspSession");
    expect(path.tracks2).toEqual([
      {
        codec: "H264",
        codecProps: { width: TEST_VIDEO.width, height: TEST_VIDEO.height, profile: "Baseline", level: "1.2" },
      },
      { codec: "MPEG-4 Audio", codecProps: { sampleRate: 48000, channelCount: 1 } },
    ]);
    const session = (await api("GET", `/v3/rtspsessions/get/${path.source?.id}`)).json as SessionJson;
    expect([session.state, session.path, session.query]).toEqual(["publish", "live/x", "k=v"]);
    expect(session.inboundBytes).toBeGreaterThan(0);
    expect(session.inboundRTPPackets).toBeGreaterThan(session.inboundBytes / 1500);
    const probe = (await ffprobeJson(["-show_streams", `${sim.hlsUrl}/live/x/index.m3u8`], {
      timeoutMs: 30_000,
    })) as { streams: Array<{ codec_name: string; width?: number }> };
    expect(probe.streams.map((s) => s.codec_name)).toEqual(["h264", "aac"]);
    expect(probe.streams[0]?.width).toBe(TEST_VIDEO.width);
    // An RTSP reader of the RTSP-published path.
    const overRtsp = (await ffprobeJson(
      ["-rtsp_transport", "tcp", "-show_streams", `${sim.rtspUrl}/live/x`],
      {
        timeoutMs: 30_000,
      },
    )) as { streams: Array<{ codec_name: string }> };
    expect(overRtsp.streams.map((s) => s.codec_name)).toEqual(["h264", "aac"]);

    await publisher.stop();
    const ready = await eventually(async () => {
      const l = await lines(join(sim.workDir, "ready.log"));
      return l.length >= 2 ? l : undefined;
    }, 15_000);
    expect(ready).toEqual([`ready rtspSession ${path.source?.id} k%3Dv`, "notready rtspSession"]);
  });

  it("asks for Basic credentials, takes them from the URL, and refuses a second publisher without overridePublisher", async () => {
    await using sim = await startSimulator({
      configText: simConfigText({
        authInternalUsers: [
          { user: "pub", pass: "pw", ips: [], permissions: [{ action: "publish", path: "" }] },
          { user: "any", pass: "", ips: ["127.0.0.1"], permissions: [{ action: "read" }, { action: "api" }] },
        ],
        paths: { cam: { overridePublisher: false } },
      }),
    });
    const announce = (auth?: string) =>
      rtspRequest(sim.rtspUrl, [
        `ANNOUNCE ${sim.rtspUrl}/cam RTSP/1.0`,
        "CSeq: 1",
        ...(auth === undefined ? [] : [`Authorization: Basic ${Buffer.from(auth).toString("base64")}`]),
        "Content-Type: application/sdp",
        "Content-Length: 0",
      ]);
    const anonymous = await announce();
    expect(anonymous.split("\r\n")[0]).toBe("RTSP/1.0 401 Unauthorized");
    expect(anonymous).toContain('WWW-Authenticate: Basic realm="mediamtx"');
    const url = sim.rtspUrl.replace("rtsp://", "rtsp://pub:pw@");
    await using _publisher = publishRtsp(`${url}/cam`);
    const path = await eventually(async () => {
      const p = (await httpCall(sim.apiUrl, "GET", "/v3/paths/get/cam")).json as {
        available: boolean;
        source: { id: string } | null;
      };
      return p.available ? p : undefined;
    }, 20_000);
    const session = (await httpCall(sim.apiUrl, "GET", `/v3/rtspsessions/get/${path.source?.id}`)).json as {
      user: string;
    };
    expect(session.user).toBe("pub");
    const second = await rtspRequest(sim.rtspUrl, [
      `ANNOUNCE ${sim.rtspUrl}/cam RTSP/1.0`,
      "CSeq: 1",
      `Authorization: Basic ${Buffer.from("pub:pw").toString("base64")}`,
      "Content-Type: application/sdp",
      "Content-Length: 0",
    ]);
    expect(second.split("\r\n")[0]).toBe("RTSP/1.0 400 Bad Request");
    const notConfigured = await rtspRequest(sim.rtspUrl, [
      `DESCRIBE ${sim.rtspUrl}/other RTSP/1.0`,
      "CSeq: 2",
    ]);
    expect(notConfigured.split("\r\n")[0]).toBe("RTSP/1.0 400 Bad Request");
  });
});
