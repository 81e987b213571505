// How RTMP clients end besides leaving by themselves: server restarts and read timeouts.
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { publishRtmp } from "../test-support/ffmpeg-client.ts";
import { eventually, httpCall } from "../test-support/http-call.ts";

interface PathJson {
  available: boolean;
}

describe("RTMP connection lifecycle", () => {
  it("drops its clients when an rtmp* setting changes (the RTMP server restarts)", async () => {
    await using sim = await startSimulator();
    const available = async () =>
      ((await httpCall(sim.apiUrl, "GET", "/v3/paths/get/cam")).json as PathJson).available || undefined;
    await using publisher = publishRtmp(`${sim.rtmpUrl}/cam`);
    await eventually(available, 20_000);
    const patch = await httpCall(sim.apiUrl, "PATCH", "/v3/config/global/patch", {
      rtmpTrustedProxies: ["10.0.0.0/8"],
    });
    expect(patch.status).toBe(200);
    expect(await publisher.exited).not.toBe(0);
    const list = (await httpCall(sim.apiUrl, "GET", "/v3/rtmpconns/list")).json as { itemCount: number };
    expect(list.itemCount).toBe(0);
    expect((await httpCall(sim.apiUrl, "GET", "/v3/paths/get/cam")).status).toBe(404);
  });

  it("closes a publisher that stops sending after readTimeout", async () => {
    await using sim = await startSimulator({ config: { readTimeout: "2s" } });
    await using publisher = publishRtmp(`${sim.rtmpUrl}/cam`);
    const path = async () => (await httpCall(sim.apiUrl, "GET", "/v3/paths/get/cam")).json as PathJson;
    await eventually(async () => (await path()).available || undefined, 20_000);
    publisher.group.signalGroup("SIGSTOP"); // a frozen encoder: the TCP connection stays open
    try {
      await eventually(async () => (sim.stderr().includes("closed: i/o timeout") ? true : undefined), 15_000);
      expect((await httpCall(sim.apiUrl, "GET", "/v3/paths/get/cam")).status).toBe(404);
    } finally {
      publisher.group.signalGroup("SIGCONT");
    }
  });
});
