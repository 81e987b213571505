import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import {
  type CheckedProbeUrl,
  checkProbeUrl,
  type ProbeUrlPolicy,
  type ResolveHost,
} from "./check-probe-url.ts";

/** A resolver answering from a table (a real DNS server is not available here). */
const table =
  (entries: Record<string, string[]>): ResolveHost =>
  async (host) => {
    const found = entries[host];
    if (found === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

async function refusal(
  url: string,
  policy: ProbeUrlPolicy = {},
): Promise<{ code: string; reason: unknown; message: string }> {
  try {
    await checkProbeUrl(url, policy);
  } catch (e) {
    if (!(e instanceof MtxError)) throw e;
    return { code: e.code, reason: e.details?.reason, message: e.message };
  }
  return expect.fail(`${url} was allowed`);
}

describe("checkProbeUrl", () => {
  it("allows a public host and pins the probe to the address it checked", async () => {
    const checked: CheckedProbeUrl = await checkProbeUrl("rtsp://user:secret@cam.example.com/live/1?x=1", {
      resolve: table({ "cam.example.com": ["203.0.113.7", "2001:db8::7"] }),
    });
    expect({ ...checked, url: checked.url.href }).toEqual({
      url: "rtsp://user:secret@cam.example.com/live/1?x=1",
      scheme: "rtsp",
      hostname: "cam.example.com",
      port: 554,
      addresses: ["203.0.113.7", "2001:db8:0:0:0:0:0:7"],
      address: "203.0.113.7",
      connectUrl: "rtsp://user:secret@203.0.113.7:554/live/1?x=1",
    });
  });

  it("pins IPv6 in brackets and keeps an explicit port", async () => {
    const checked = await checkProbeUrl("srt://[2001:db8::5]:9000?streamid=read:cam", {});
    expect(checked.connectUrl).toBe("srt://[2001:db8:0:0:0:0:0:5]:9000?streamid=read:cam");
  });

  it("refuses a scheme that is not on the allow-list", async () => {
    expect(await refusal("file:///etc/passwd")).toMatchObject({
      code: "MTX_URL_FORBIDDEN",
      reason: "scheme",
    });
    expect(await refusal("gopher://example.com/")).toMatchObject({
      code: "MTX_URL_FORBIDDEN",
      reason: "scheme",
    });
    expect(await refusal("http://8.8.8.8/x.m3u8", { allowSchemes: ["rtsp"] })).toMatchObject({
      reason: "scheme",
    });
  });

  it("refuses loopback by default, in every spelling, with a clear code and reason", async () => {
    const urls = [
      "rtsp://127.0.0.1/x",
      "rtsp://127.1/x",
      "rtsp://2130706433/x",
      "rtsp://0x7f000001/x",
      "rtsp://0177.0.0.1/x",
      "rtmp://0x7f.1/live/x",
      "http://2130706433/x.m3u8",
      "http://0x7f.0.0.1/x.m3u8",
      "rtsp://[::1]/x",
      "rtsp://[::ffff:127.0.0.1]/x",
      "http://[::ffff:7f00:1]/x.m3u8",
      "srt://[::127.0.0.1]:9000",
    ];
    for (const url of urls) {
      const r = await refusal(url);
      expect({ url, code: r.code, reason: r.reason, loopback: r.message.includes("(loopback)") }).toEqual({
        url,
        code: "MTX_URL_FORBIDDEN",
        reason: "address",
        loopback: true,
      });
    }
  });

  it("refuses private, shared, link-local, unspecified and multicast addresses", async () => {
    const expected: Record<string, string> = {
      "rtsp://10.0.0.8/x": "private",
      "rtsp://172.16.5.4/x": "private",
      "rtsp://172.31.255.1/x": "private",
      "rtsp://192.168.0.10/x": "private",
      "http://[fd00::10]/x": "private",
      "rtsp://100.100.1.1/x": "shared",
      "http://169.254.169.254/latest/meta-data/": "link-local",
      "rtsp://[fe80::1]/x": "link-local",
      "rtsp://0.0.0.0/x": "unspecified",
      "rtsp://0/x": "unspecified",
      "srt://239.0.0.1:9000": "multicast",
      "rtsp://[ff02::1]/x": "multicast",
    };
    const got: Record<string, string> = {};
    for (const url of Object.keys(expected)) {
      const r = await refusal(url);
      got[url] = /\(([a-z-]+)\)/.exec(r.message)?.[1] ?? r.message;
    }
    expect(got).toEqual(expected);
  });

  it("refuses a host when ANY of its addresses is forbidden", async () => {
    const resolve = table({
      "mixed.example.com": ["203.0.113.9", "10.0.0.9"],
      "six.example.com": ["2001:db8::1", "::1"],
    });
    expect(await refusal("rtsp://mixed.example.com/x", { resolve })).toMatchObject({
      code: "MTX_URL_FORBIDDEN",
      message: expect.stringContaining("host 'mixed.example.com' resolves to 10.0.0.9 (private)"),
    });
    expect((await refusal("http://six.example.com/x", { resolve })).message).toContain("(loopback)");
  });

  it("refuses localhost through the system resolver", async () => {
    expect(await refusal("rtsp://localhost:8554/x")).toMatchObject({
      code: "MTX_URL_FORBIDDEN",
      reason: "address",
    });
  });

  it("allows a forbidden range that allowNetworks lists, and only that range", async () => {
    const policy = { allowNetworks: ["10.1.0.0/16", "127.0.0.1"] };
    expect((await checkProbeUrl("rtsp://10.1.2.3:8554/cam", policy)).connectUrl).toBe(
      "rtsp://10.1.2.3:8554/cam",
    );
    expect((await checkProbeUrl("rtmp://0x7f.1/live/x", policy)).connectUrl).toBe(
      "rtmp://127.0.0.1:1935/live/x",
    );
    expect(await refusal("rtsp://10.2.0.1/cam", policy)).toMatchObject({ reason: "address" });
    expect(await refusal("rtsp://127.0.0.2/cam", policy)).toMatchObject({ reason: "address" });
  });

  it("refuses host names ffmpeg would read differently (percent-encoding)", async () => {
    expect(await refusal("rtsp://%31%32%37.0.0.1/x")).toMatchObject({
      code: "MTX_URL_FORBIDDEN",
      reason: "host",
    });
  });

  it("never puts credentials into the error", async () => {
    const r = await refusal("rtsp://admin:hunter2@192.168.1.64/stream");
    expect(r.message).not.toContain("hunter2");
    expect(r.message).toContain("rtsp://192.168.1.64/stream");
  });

  it("reports malformed URLs, bad networks and unresolvable hosts with their own codes", async () => {
    expect(await refusal("not a url")).toMatchObject({ code: "MTX_INVALID_INPUT" });
    expect(await refusal("rtsp://8.8.8.8/x", { allowNetworks: ["10.0.0.0/99"] })).toMatchObject({
      code: "MTX_INVALID_INPUT",
    });
    expect(await refusal("rtsp://nowhere.example.com/x", { resolve: table({}) })).toMatchObject({
      code: "MTX_PROBE_FAILED",
    });
  });
});
