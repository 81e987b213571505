// HLS viewer sessions (v1.18+) with a real ffprobe and plain HTTP requests.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { ffprobeJson, runTool } from "../media/index.ts";
import { eventually, httpCall } from "../test-support/http-call.ts";

const append = (file: string, text: string) => `sh -c 'echo "${text}" >> ${file}'`;

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");
}

interface HlsSessionJson {
  id: string;
  created: string;
  remoteAddr: string;
  path: string;
  query: string;
  user: string;
  userAgent: string;
  isCDN: boolean;
  outboundBytes: number;
}

describe("HLS sessions", () => {
  it("lists an ffprobe read as an hlsSession reader, recognisable by its query and user agent, until it expires", async () => {
    await using sim = await startSimulator({
      hlsSessionCloseAfterMs: 1_500,
      config: {
        paths: {
          cam: {
            runOnRead: append("read.log", "read $MTX_READER_TYPE $MTX_READER_ID $MTX_QUERY"),
            runOnUnread: append("read.log", "unread $MTX_READER_TYPE $MTX_READER_ID"),
          },
        },
      },
    });
    const api = (r: string) => httpCall(sim.apiUrl, "GET", r);
    await sim.control.publish("cam", "testsrc");
    const probe = (await ffprobeJson(["-show_streams", `${sim.hlsUrl}/cam/index.m3u8?probe=1`], {
      timeoutMs: 20_000,
    })) as { streams: Array<{ codec_name: string }> };
    expect(probe.streams.map((s) => s.codec_name)).toEqual(["h264", "aac"]);

    const list = (await api("/v3/hlssessions/list")).json as { itemCount: number; items: HlsSessionJson[] };
    expect(list.itemCount).toBe(1);
    const session = list.items[0] as HlsSessionJson;
    expect({ ...session, id: "", created: "", remoteAddr: session.remoteAddr.replace(/\d+$/, "P") }).toEqual({
      id: "",
      created: "",
      remoteAddr: "127.0.0.1:P",
      path: "cam",
      query: "probe=1",
      user: "",
      userAgent: expect.stringMatching(/^Lavf\//),
      isCDN: false,
      outboundBytes: expect.any(Number),
    });
    expect(session.outboundBytes).toBeGreaterThan(10_000); // playlist plus the segments ffprobe read
    expect((await api(`/v3/hlssessions/get/${session.id}`)).json).toEqual(session);
    const path = (await api("/v3/paths/get/cam")).json as { readers: unknown[] };
    expect(path.readers).toEqual([{ type: "hlsSession", id: session.id }]);
    const muxers = (await api("/v3/hlsmuxers/list")).json as { items: Array<{ path: string }> };
    expect(muxers.items.map((m) => m.path)).toEqual(["cam"]);

    // No more requests: the session closes, the reader leaves, runOnUnread runs.
    await eventually(async () => {
      const p = (await api("/v3/paths/get/cam")).json as { readers: unknown[] };
      return p.readers.length === 0 ? true : undefined;
    }, 15_000);
    expect((await api(`/v3/hlssessions/get/${session.id}`)).status).toBe(404);
    const hooks = await eventually(async () => {
      const l = await lines(join(sim.workDir, "read.log"));
      return l.length >= 2 ? l : undefined;
    }, 15_000);
    expect(hooks).toEqual([`read hlsSession ${session.id} probe%3D1`, `unread hlsSession ${session.id}`]);
  });

  it("keeps one session for a 6-second ffmpeg read (the player reloads only the media playlist)", async () => {
    await using sim = await startSimulator();
    await sim.control.publish("cam", "testsrc");
    await runTool(
      "ffmpeg",
      [
        "-v",
        "error",
        "-nostdin",
        "-i",
        `${sim.hlsUrl}/cam/index.m3u8`,
        "-t",
        "6",
        "-c",
        "copy",
        "-f",
        "null",
        "-",
      ],
      { timeoutMs: 40_000 },
    );
    const list = (await httpCall(sim.apiUrl, "GET", "/v3/hlssessions/list")).json as {
      itemCount: number;
      items: HlsSessionJson[];
    };
    expect(list.itemCount).toBe(1);
    expect(list.items[0]?.outboundBytes).toBeGreaterThan(50_000); // about 6 s of segments
  });

  it("redirects with cookieCheck, hands out the session in the playlist URLs, and refuses segments without it", async () => {
    await using sim = await startSimulator();
    await sim.control.publish("cam", "testsrc");
    const hls = (route: string, headers: Record<string, string> = {}) =>
      fetch(sim.hlsUrl + route, { redirect: "manual", headers });

    const first = await hls("/cam/index.m3u8?b=2&a=1");
    expect([first.status, first.headers.get("location")]).toEqual([
      302,
      "/cam/index.m3u8?a=1&b=2&cookieCheck=1",
    ]);
    expect(first.headers.getSetCookie()[0]).toBe("cookieCheck=1");

    // Without the cookie (plain fetch keeps none), the session travels in the URLs: the
    // multivariant playlist points at the media playlist, whose segment URIs carry its query.
    const multivariant = await hls("/cam/index.m3u8?a=1&b=2&cookieCheck=1");
    expect(multivariant.status).toBe(200);
    const lines = (await multivariant.text()).split("\n");
    expect(lines.slice(0, 4)).toEqual(["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS", ""]);
    expect(lines[4]).toMatch(
      /^#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,CODECS="avc1\.42c01e,mp4a\.40\.2",RESOLUTION=640x360$/,
    );
    const variant = lines[5] ?? "";
    expect(variant).toMatch(/^main_stream\.m3u8\?a=1&b=2&session=[0-9a-f-]{36}$/);
    const playlist = await hls(`/cam/${variant}`);
    expect([playlist.status, playlist.headers.get("content-type")]).toEqual([
      200,
      "application/vnd.apple.mpegurl",
    ]);
    const text = await playlist.text();
    expect(text).toMatch(/^#EXTM3U\n/);
    const segment = text.split("\n").find((l) => l.endsWith(".ts") || l.includes(".ts?")) ?? "";
    expect(segment).toMatch(/^index\d+\.ts\?a=1&b=2&session=[0-9a-f-]{36}$/);
    expect((await hls(`/cam/other.m3u8?${variant.split("?")[1]}`)).status).toBe(404);
    const ok = await hls(`/cam/${segment}`);
    expect([ok.status, ok.headers.get("content-type")]).toEqual([200, "video/mp2t"]);
    expect((await ok.arrayBuffer()).byteLength).toBeGreaterThan(0);

    const noSession = await hls(`/cam/${segment.replace(/session=[^&]+/, "session=bogus")}`);
    expect([noSession.status, await noSession.json()]).toEqual([
      401,
      { status: "error", error: "authentication error" },
    ]);

    // A kicked session's secret no longer works.
    const list = (await httpCall(sim.apiUrl, "GET", "/v3/hlssessions/list")).json as {
      items: HlsSessionJson[];
    };
    expect(list.items.map((s) => s.query)).toEqual(["a=1&b=2"]);
    const id = list.items[0]?.id ?? "";
    expect((await httpCall(sim.apiUrl, "POST", `/v3/hlssessions/kick/${id}`)).json).toEqual({ status: "ok" });
    expect((await hls(`/cam/${segment}`)).status).toBe(401);
    expect(
      ((await httpCall(sim.apiUrl, "GET", "/v3/paths/get/cam")).json as { readers: unknown[] }).readers,
    ).toEqual([]);

    const gone = await hls("/nothing/index.m3u8?cookieCheck=1");
    expect([gone.status, await gone.json()]).toEqual([
      404,
      { status: "error", error: "no stream is available on path 'nothing'" },
    ]);
    const dirRedirect = await hls("/cam");
    expect([dirRedirect.status, dirRedirect.headers.get("location")]).toEqual([302, "/cam/"]);
  });

  it("asks for credentials when reading needs them", async () => {
    await using sim = await startSimulator({
      config: {
        authInternalUsers: [
          { user: "viewer", pass: "pw", ips: [], permissions: [{ action: "read", path: "" }] },
          {
            user: "any",
            pass: "",
            ips: ["127.0.0.1"],
            permissions: [{ action: "publish" }, { action: "api" }, { action: "metrics" }],
          },
        ],
      },
    });
    await sim.control.publish("cam", "testsrc");
    const anonymous = await fetch(`${sim.hlsUrl}/cam/index.m3u8?cookieCheck=1`);
    expect([anonymous.status, anonymous.headers.get("www-authenticate")]).toEqual([
      401,
      'Basic realm="mediamtx"',
    ]);
    const auth = `Basic ${Buffer.from("viewer:pw").toString("base64")}`;
    const allowed = await fetch(`${sim.hlsUrl}/cam/index.m3u8?cookieCheck=1`, {
      headers: { authorization: auth },
    });
    expect(allowed.status).toBe(200);
    const list = (await httpCall(sim.apiUrl, "GET", "/v3/hlssessions/list")).json as {
      items: HlsSessionJson[];
    };
    expect(list.items.map((s) => s.user)).toEqual(["viewer"]);
  });
});
