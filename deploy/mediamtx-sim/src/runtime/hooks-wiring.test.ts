import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { eventually } from "../test-support/http-call.ts";

const append = (file: string, text: string) => `sh -c 'echo "${text}" >> ${file}'`;

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, "utf8").catch(() => "")).split("\n").filter((l) => l !== "");
}

describe("hooks at path lifecycle transitions", () => {
  it("runs init, available/online, read/unread, unavailable/offline and connect/disconnect hooks", async () => {
    await using sim = await startSimulator({
      config: {
        runOnConnect: append("connect.log", "connect $MTX_CONN_TYPE"),
        runOnDisconnect: append("connect.log", "disconnect $MTX_CONN_TYPE"),
        paths: {
          cam: {
            runOnInit: append("init.log", "init $MTX_PATH"),
            runOnAvailable: append("events.log", "available $MTX_PATH $MTX_SOURCE_TYPE $MTX_QUERY"),
            runOnOnline: append("events.log", "online $MTX_PATH"),
            runOnUnavailable: append("events.log", "unavailable $MTX_PATH"),
            runOnOffline: append("events.log", "offline $MTX_PATH"),
            runOnRead: append("events.log", "read $MTX_READER_TYPE"),
            runOnUnread: append("events.log", "unread $MTX_READER_TYPE"),
          },
        },
      },
    });
    const dir = sim.workDir;
    expect(
      await eventually(
        async () =>
          (await lines(join(dir, "init.log"))).length > 0 ? lines(join(dir, "init.log")) : undefined,
        15_000,
      ),
    ).toEqual(["init cam"]);
    // runOnAvailable/runOnOnline/runOnRead are stopped (SIGINT) when their condition ends, as in
    // MediaMTX: wait until each has written its line before ending it, or a loaded machine
    // kills the hook before it ran.
    const seen = (count: number) =>
      eventually(async () => {
        const l = await lines(join(dir, "events.log"));
        return l.length >= count ? l : undefined;
      }, 15_000);
    await sim.control.publish("cam", "synthetic", { sourceType: "rtmpConn", query: "a=1" });
    await seen(2);
    const reader = await sim.control.addReader("cam", "webRTCSession");
    await seen(3);
    await sim.control.removeReader("cam", reader.id);
    await seen(4);
    await sim.control.unpublish("cam");
    const events = await eventually(async () => {
      const l = await lines(join(dir, "events.log"));
      return l.length >= 6 ? l : undefined;
    }, 15_000);
    expect([...events].sort()).toEqual(
      [
        "available cam rtmpConn a%3D1",
        "offline cam",
        "online cam",
        "read webRTCSession",
        "unavailable cam",
        "unread webRTCSession",
      ].sort(),
    );
    const conns = await eventually(async () => {
      const l = await lines(join(dir, "connect.log"));
      return l.length >= 2 ? l : undefined;
    }, 15_000);
    expect(conns).toEqual(["connect rtmpConn", "disconnect rtmpConn"]);
  });
});
