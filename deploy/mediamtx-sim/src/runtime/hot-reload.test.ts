import { createServer } from "node:net";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { eventually, httpCall } from "../test-support/http-call.ts";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
const available = async (sim: Sim, name: string) =>
  ((await httpCall(sim.apiUrl, "GET", `/v3/paths/get/${name}`)).json as { available: boolean }).available;

describe("hot reload of API changes", () => {
  it("a logLevel change drops every stream (trap 8)", async () => {
    await using sim = await startSimulator({ config: { paths: { cam: {} } } });
    await sim.control.publish("cam", "synthetic");
    expect(await available(sim, "cam")).toBe(true);
    await httpCall(sim.apiUrl, "PATCH", "/v3/config/global/patch", { logLevel: "debug" });
    expect(await eventually(async () => ((await available(sim, "cam")) ? undefined : false))).toBe(false);
  });

  it("a record change keeps the stream, a maxReaders change closes the path", async () => {
    await using sim = await startSimulator({ config: { paths: { cam: {} } } });
    await sim.control.publish("cam", "synthetic");
    await httpCall(sim.apiUrl, "PATCH", "/v3/config/paths/patch/cam", {
      record: true,
      recordPath: "./rec/%path/%s%f",
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await available(sim, "cam")).toBe(true);
    await httpCall(sim.apiUrl, "PATCH", "/v3/config/paths/patch/cam", { maxReaders: 3 });
    expect(await eventually(async () => ((await available(sim, "cam")) ? undefined : false))).toBe(false);
  });

  it("disabling a protocol unregisters its endpoints and drops its clients", async () => {
    await using sim = await startSimulator({ config: { paths: { cam: {} } } });
    await sim.control.publish("cam", "synthetic", { sourceType: "rtmpConn" });
    await httpCall(sim.apiUrl, "PATCH", "/v3/config/global/patch", { rtmp: false });
    const r = await eventually(async () => {
      const x = await httpCall(sim.apiUrl, "GET", "/v3/rtmpconns/list");
      return x.status === 404 ? x : undefined;
    });
    expect(r.text).toBe("404 page not found");
    expect(await available(sim, "cam")).toBe(false);
  });

  it("a listener that cannot bind after a valid change makes the simulator exit 0 (trap 3)", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const sim = await startSimulator({ config: { paths: { cam: {} } } });
    try {
      const r = await httpCall(sim.apiUrl, "PATCH", "/v3/config/global/patch", {
        metricsAddress: `127.0.0.1:${port}`,
      });
      expect(r.json).toEqual({ status: "ok" });
      await eventually(async () =>
        sim.control.state().then(
          () => undefined,
          () => "gone",
        ),
      );
      expect(await sim.stop()).toBe(0);
      expect(sim.stderr()).toContain("address already in use");
    } finally {
      blocker.close();
      await sim[Symbol.asyncDispose]();
    }
  });
});
