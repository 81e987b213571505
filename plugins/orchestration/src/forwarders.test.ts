import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type PluginHarness, startPluginHarness } from "@mtx-fleet/agent/testing";
import type { PluginDefinition } from "@mtx-fleet/plugin-api";
import { createTempDir, freePort, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { orchestrationPlugin } from "./orchestration-plugin.ts";
import {
  callRoute,
  hookEvent,
  journal,
  liveMembers,
  recordedStarts,
  workers,
} from "./testing/plugin-test-kit.ts";
import { TEST_WORKER } from "./testing/test-worker-path.ts";

const definition = orchestrationPlugin as unknown as PluginDefinition;
const FAST_RESTART = { baseMs: 200, maxMs: 1_000, jitter: 0, stableAfterMs: 60_000 };
const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000) =>
  waitFor(read, ok, timeoutMs, 50);

function start(config: unknown, mediamtxUrl?: string): Promise<PluginHarness> {
  return startPluginHarness([{ definition, config }], {
    host: { stopTimeoutMs: 5_000, callTimeoutMs: 5_000 },
    ...(mediamtxUrl === undefined ? {} : { mediamtxUrl, pollIntervalMs: 200 }),
  });
}

const fileSize = (file: string) =>
  stat(file).then(
    (s) => s.size,
    () => 0,
  );

describe("orchestration plugin: forwarders", () => {
  it("copies a stream from the simulator to an RTMP destination with ffmpeg -c copy, credentials kept out of logs", async () => {
    await using dir = await createTempDir("orch-fwd-");
    await using sim = await startSimulator();
    await sim.control.publish("live/s1/out", "testsrc");
    const port = await freePort();
    const destination = `rtmp://user:hunter22@127.0.0.1:${port}/app/streamkey-0123456789`;
    const received = join(dir.path, "received.flv");
    // A local RTMP server in one ffmpeg: it takes one publisher and writes what it gets.
    const listener = spawn(
      "ffmpeg",
      [
        ...["-hide_banner", "-loglevel", "error", "-listen", "1"],
        ...[
          "-i",
          `rtmp://127.0.0.1:${port}/app/streamkey-0123456789`,
          "-c",
          "copy",
          "-f",
          "flv",
          "-y",
          received,
        ],
      ],
      { stdio: "ignore" },
    );
    const listenerExit = new Promise((resolve) => listener.once("exit", resolve));
    try {
      await using harness = await start(
        {
          mediamtx: { rtmpUrl: sim.rtmpUrl },
          forwarders: [{ name: "egress", match: "live/{streamId}/out", graceMs: 500, restart: FAST_RESTART }],
        },
        sim.apiUrl,
      );
      const put = await callRoute(harness, "PUT", "/forwarders", {
        body: { stream: "s1", destinations: [destination] },
      });
      expect(put.body).toEqual({
        stream: "s1",
        destinations: [`rtmp://user:***@127.0.0.1:${port}/app/***`],
      });
      // No hook: the stream is live before the plugin started, so the snapshot starts it.
      await until(
        () => fileSize(received),
        (size) => size > 100_000,
        25_000,
      );
      const [forwarder] = await workers(harness);
      expect(forwarder).toMatchObject({
        kind: "forwarder",
        name: "egress",
        path: "live/s1/out",
        streamId: "s1",
        destination: `rtmp://user:***@127.0.0.1:${port}/app/***`,
        state: "running",
      });
      const [started] = await journal(harness, "forwarder.started");
      expect(started).toMatchObject({
        path: "live/s1/out",
        payload: { origin: "snapshot", destination: `rtmp://user:***@127.0.0.1:${port}/app/***` },
      });
      expect(started!.payload.argv).toContain(`${sim.rtmpUrl}/live/s1/out`);

      await sim.control.unpublish("live/s1/out");
      await until(
        () => workers(harness),
        (list) => list.length === 0,
      );
      expect(await liveMembers([forwarder!.pid!])).toEqual([]);
      const text = JSON.stringify([harness.logs(), await journal(harness, "")]);
      expect(text).not.toContain("hunter22");
      expect(text).not.toContain("streamkey-0123456789");
    } finally {
      listener.kill("SIGKILL");
      await listenerExit;
    }
  });

  it("runs one isolated process per destination and follows runtime changes of the list", async () => {
    await using dir = await createTempDir("orch-fwd-");
    const record = join(dir.path, "starts.jsonl");
    await using harness = await start({
      forwarders: [
        {
          name: "egress",
          match: "live/{streamId}/out",
          destinations: ["rtmp://backup.example/live/{streamId}"],
          command: [process.execPath, TEST_WORKER, "--record", record, "{input}", "{destination}"],
          restart: FAST_RESTART,
        },
      ],
      reconcileFromSnapshot: false,
    });
    const youtube = "rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop";
    const twitch = "rtmp://live.twitch.tv/app/live_123456_secretsecret";
    await callRoute(harness, "PUT", "/forwarders", {
      body: { stream: "s2", destinations: [youtube, twitch, youtube] },
    });
    harness.bus.emit("mediamtx.hook", hookEvent("ready", "live/s2/out"));
    const three = await until(
      () => recordedStarts(record),
      (lines) => lines.length === 3,
    );
    expect(three.map((l) => l.argv.slice(2)).sort()).toEqual(
      [
        ["rtmp://127.0.0.1:1935/live/s2/out", "rtmp://backup.example/live/s2"],
        ["rtmp://127.0.0.1:1935/live/s2/out", twitch],
        ["rtmp://127.0.0.1:1935/live/s2/out", youtube],
      ].sort(),
    );
    expect(new Set(three.map((l) => l.pgid)).size).toBe(3);
    const byDestination = new Map(three.map((l) => [l.argv.at(-1), l.pid]));

    await callRoute(harness, "PUT", "/forwarders", { body: { stream: "s2", destinations: [twitch] } });
    await until(
      () => workers(harness),
      (list) => list.length === 2,
    );
    expect((await workers(harness)).map((w) => w.pid).sort()).toEqual(
      [byDestination.get(twitch), byDestination.get("rtmp://backup.example/live/s2")].sort(),
    );
    const stopped = await until(
      () => journal(harness, "forwarder.stopped"),
      (list) => list.length > 0,
    );
    expect(stopped.map((e) => [e.payload.reason, e.payload.destination])).toEqual([
      ["config", "rtmp://a.rtmp.youtube.com/live2/***"],
    ]);
    expect(await liveMembers([byDestination.get(youtube)!])).toEqual([]);

    expect((await callRoute(harness, "GET", "/forwarders")).body).toEqual({
      items: [{ stream: "s2", destinations: ["rtmp://live.twitch.tv/app/***"] }],
    });
    expect((await callRoute(harness, "DELETE", "/forwarders", { query: { stream: "s2" } })).status).toBe(204);
    await until(
      () => workers(harness),
      (list) => list.length === 1,
    );
    const text = JSON.stringify(harness.logs());
    expect(text).not.toContain("abcd-efgh-ijkl-mnop");
    expect(text).not.toContain("live_123456_secretsecret");
  });

  it.each([
    [
      { stream: "s1", destinations: ["http://example.com/x"] },
      "body.destinations.0 must be an rtmp:// or rtmps:// URL",
    ],
    [{ stream: "s1", destinations: ["rtmp://host/app/key -y"] }, "must not contain whitespace"],
    [{ stream: "s1", destinations: "rtmp://host/app/key" }, "body.destinations must be an array of URLs"],
    [{ stream: "../etc", destinations: [] }, "body.stream must be a stream id or path"],
    [
      { stream: "s1", destinations: Array.from({ length: 17 }, (_, i) => `rtmp://h/app/${i}`) },
      "at most 16 URLs",
    ],
  ])("refuses the destinations %j", async (body, message) => {
    await using harness = await start({ reconcileFromSnapshot: false });
    await expect(callRoute(harness, "PUT", "/forwarders", { body })).rejects.toMatchObject({
      code: "MTX_INVALID_INPUT",
      message: expect.stringContaining(message),
    });
  });
});
