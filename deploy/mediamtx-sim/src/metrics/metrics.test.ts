import { startSimulator } from "@mtx-fleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Sim = Awaited<ReturnType<typeof startSimulator>>;

describe("/metrics (v1.20.1)", () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSimulator({ config: { srt: false, paths: { idle: {}, "~^live/": {} } } });
  });
  afterAll(async () => {
    await sim[Symbol.asyncDispose]();
  });
  const metrics = async (query = "") => await (await fetch(`${sim.metricsUrl}/metrics${query}`)).text();

  it("prints zero samples for empty families and no HELP/TYPE lines", async () => {
    const text = await metrics("?type=rtmp_conns");
    expect(text).toBe(
      [
        "rtmp_conns 0",
        "rtmp_conns_inbound_bytes 0",
        "rtmp_conns_outbound_bytes 0",
        "rtmp_conns_bytes_received 0",
        "rtmp_conns_bytes_sent 0",
        "rtmp_conns_outbound_frames_discarded 0",
        "",
      ].join("\n"),
    );
    expect(await metrics()).not.toMatch(/^# (HELP|TYPE)/m);
  });

  it('labels paths by name and state, with a readerType="" sample when nobody reads', async () => {
    const text = await metrics("?type=paths");
    expect(text).toContain('paths{name="idle",state="notReady"} 1\n');
    expect(text).toContain('paths_readers{name="idle",state="notReady",readerType=""} 0\n');
  });

  it("filters by path and omits the other families", async () => {
    await sim.control.publish("live/a", "synthetic");
    await sim.control.addReader("live/a", "webRTCSession");
    await sim.control.addReader("live/a", "webRTCSession");
    const text = await metrics("?path=live/a");
    const names = new Set(
      text
        .trim()
        .split("\n")
        .map((l) => l.replace(/[{ ].*$/, "")),
    );
    expect([...names].sort()).toEqual(
      [
        "paths",
        "paths_readers",
        "paths_inbound_bytes",
        "paths_outbound_bytes",
        "paths_inbound_frames_in_error",
        "paths_bytes_received",
        "paths_bytes_sent",
      ].sort(),
    );
    expect(text).toContain('paths_readers{name="live/a",state="ready",readerType="webRTCSession"} 2\n');
    expect(text).not.toContain('name="idle"');
  });

  it("labels sessions with id, path, remoteAddr and state", async () => {
    const text = await metrics("?type=webrtc_sessions");
    expect(text).toMatch(
      /^webrtc_sessions\{id="[0-9a-f-]{36}",path="live\/a",remoteAddr="127\.0\.0\.1:\d+",state="read"\} 1$/m,
    );
    expect(text).toMatch(/^webrtc_sessions_outbound_bytes\{/m);
  });

  it("omits the families of disabled servers", async () => {
    expect(await metrics()).not.toContain("srt_conns");
  });
});
