// The probe plugin in the agent's real host, against the MediaMTX simulator's real media
// (ffmpeg HLS) and the real deep-probe engine. One simulator for the whole file: media and
// probes are what cost time on two cores.
import { isDeepStrictEqual } from "node:util";
import { type PluginHarness, startPluginHarness } from "@mtx-fleet/agent/testing";
import {
  definePlugin,
  MtxError,
  type PluginDefinition,
  type StreamHealth,
  Type,
} from "@mtx-fleet/plugin-api";
import { type StartedSimulator, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { probePlugin } from "./probe-plugin.ts";

const SCENARIOS = {
  "cam/healthy": "testsrc",
  "cam/black": "black",
  "cam/frozen": "frozen",
  "cam/lowfps": "lowfps",
  "cam/silent": "silent",
  "cam/noaudio": "noaudio",
  "tv/noaudio": "noaudio",
  "cam/stalled": "stalled",
  "cam/gone": "testsrc",
} as const;
/** Paths of the later tests. */
const MORE_PATHS = ["live/a", "live/b"];

let sim: StartedSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    config: {
      paths: Object.fromEntries([...Object.keys(SCENARIOS), ...MORE_PATHS].map((name) => [name, {}])),
    },
  });
});
afterEach(async () => {
  for (const path of [...Object.keys(SCENARIOS), ...MORE_PATHS])
    await sim.control.unpublish(path).catch(() => {});
});
afterAll(async () => {
  await sim?.[Symbol.asyncDispose]();
});

/** Probe config for tests: the simulator's HLS, short samples, filters that fire within them. */
function testConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    readUrl: `${sim.hlsUrl}/{path}/index.m3u8`,
    deep: {
      // The simulator's HLS output needs a moment after a publish (as a MediaMTX HLS muxer does).
      newStreamDelayMs: 1_500,
      backoffBaseMs: 1_000,
      sampleSeconds: 2,
      timeoutMs: 20_000,
      maxConcurrent: 3,
      ...(extra.deep as object),
    },
    thresholds: {
      blackMinSeconds: 1,
      freezeMinSeconds: 1,
      silenceMinSeconds: 1,
      // Probes on a loaded two-core box can be slow to start: slow_start is not under test here.
      startupMaxMs: 30_000,
      // The simulator counts its bytes per 1 s HLS segment: polled every 500 ms, gaps of over a
      // second are normal. The stall test below uses the default with the default interval.
      stallAfterMs: 2_500,
      ...(extra.thresholds as object),
    },
    overrides: [{ match: "~^tv/.*", expectAudio: true }],
    thumbnails: { enabled: false },
    ...Object.fromEntries(Object.entries(extra).filter(([key]) => key !== "deep" && key !== "thresholds")),
  };
}

async function harnessWith(
  config: Record<string, unknown>,
  options: { extra?: PluginDefinition[]; pollIntervalMs?: number } = {},
): Promise<PluginHarness> {
  const extra = (options.extra ?? []).map((definition) => ({ definition }));
  return startPluginHarness([{ definition: probePlugin as unknown as PluginDefinition, config }, ...extra], {
    mediamtxUrl: sim.apiUrl,
    pollIntervalMs: options.pollIntervalMs ?? 500,
  });
}

/** A second plugin in the same host that notes when each shared snapshot was taken. */
function snapshotLog(): { definition: PluginDefinition; takenAt: number[] } {
  const takenAt: number[] = [];
  const definition = definePlugin({
    manifest: { name: "snapshot-log", version: "1.0.0", apiRange: "^1.0.0" },
    config: Type.Object({}),
    setup: (ctx) => ({
      start: () => {
        ctx.mediamtx.subscribe((event) => {
          if (event.type === "snapshot") takenAt.push(event.snapshot.takenAt);
        });
      },
    }),
  }) as unknown as PluginDefinition;
  return { definition, takenAt };
}

function invoke(harness: PluginHarness, action: string, input: unknown): Promise<unknown> {
  return harness.host.actions.invoke(action, input, {
    requestId: "test",
    deadlineMs: Date.now() + 30_000,
    signal: AbortSignal.timeout(30_000),
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return MtxError.is(error) ? error.code : String(error);
  }
}

const summary = (health: StreamHealth | undefined) =>
  health === undefined ? undefined : [health.verdict, health.reasons.map((r) => r.code)];

describe("probe plugin against simulator media", () => {
  it("gives each scenario its verdict and reason, and records every verdict change", async () => {
    await using harness = await harnessWith(testConfig());
    // Configured paths without a publisher are unavailable: the first verdicts.
    const idle = () =>
      Promise.resolve(Object.keys(SCENARIOS).map((p) => summary(harness.host.streams.health(p))));
    await waitFor(idle, (v) =>
      v.every((s) => JSON.stringify(s) === JSON.stringify(["unhealthy", ["unavailable"]])),
    );
    await Promise.all(
      Object.entries(SCENARIOS).map(([path, scenario]) => sim.control.publish(path, scenario)),
    );
    await sim.control.unpublish("cam/gone");
    const expected = {
      "cam/healthy": ["healthy", []],
      "cam/black": ["unhealthy", ["black"]],
      "cam/frozen": ["unhealthy", ["frozen"]],
      "cam/lowfps": ["degraded", ["fps_drop"]],
      "cam/silent": ["degraded", ["silent"]],
      "cam/noaudio": ["healthy", []],
      "tv/noaudio": ["unhealthy", ["no_audio"]],
      "cam/stalled": ["unhealthy", ["stalled"]],
      "cam/gone": ["unhealthy", ["unavailable"]],
    };
    const verdicts = () =>
      Promise.resolve(
        Object.fromEntries(Object.keys(SCENARIOS).map((p) => [p, summary(harness.host.streams.health(p))])),
      );
    expect(await waitFor(verdicts, (v) => isDeepStrictEqual(v, expected), 40_000, 250)).toEqual(expected);

    const health = harness.host.streams.health("cam/lowfps");
    expect(health?.values).toMatchObject({
      available: true,
      videoCodec: "h264",
      width: 640,
      height: 360,
      declaredFps: 25,
    });
    expect(health?.values.fps).toBeLessThan(10);
    expect(harness.host.streams.health("cam/black")?.values).toMatchObject({
      blackSeconds: expect.any(Number),
    });

    // Every verdict change is a durable probe.verdict event with the path, verdict and values
    // (written asynchronously: the last ones may still be on their way to disk).
    const lastVerdicts = Object.fromEntries(
      Object.entries(expected).map(([path, [verdict]]) => [path, verdict]),
    );
    const verdictEvents = async () =>
      (await harness.outbox.read({ afterSeq: 0 })).filter(
        (e) => e.kind === "probe.verdict" && e.path !== undefined && e.path in SCENARIOS,
      );
    const lastOf = (events: Awaited<ReturnType<typeof verdictEvents>>) =>
      Object.fromEntries(events.map((e) => [e.path, (e.payload as { verdict: string }).verdict]));
    const events = await waitFor(verdictEvents, (e) => isDeepStrictEqual(lastOf(e), lastVerdicts));
    expect(lastOf(events)).toEqual(lastVerdicts);
    const black = events
      .filter((e) => e.path === "cam/black")
      .map((e) => e.payload as Record<string, unknown>);
    expect(black.at(-1)).toMatchObject({
      verdict: "unhealthy",
      reasons: [{ code: "black", severity: "unhealthy" }],
    });
    // Unavailable until published, unknown until probed, then black.
    expect(black.slice(0, 2).map((p) => [p.previous, p.verdict])).toEqual([
      [null, "unhealthy"],
      ["unhealthy", "unknown"],
    ]);
  }, 55_000);

  it("flags a stall within two poll intervals from the snapshot alone, without a deep probe", async () => {
    const log = snapshotLog();
    // The agent's default poll interval and stall threshold.
    await using harness = await harnessWith(testConfig({ thresholds: { stallAfterMs: 1_500 } }), {
      extra: [log.definition],
      pollIntervalMs: 2_000,
    });
    await sim.control.publish("live/a", "testsrc");
    await waitFor(
      () => Promise.resolve(summary(harness.host.streams.health("live/a"))),
      (s) => JSON.stringify(s) === JSON.stringify(["healthy", []]),
      20_000,
    );
    const report = () =>
      harness.host.route(
        "probe",
        "GET",
        "/stream",
      )?.({ method: "GET", path: "/stream", query: { path: "live/a" }, body: undefined, requestId: "r" });
    const before = (await report())?.body as { deep: { runs: number } };
    await sim.control.setScenario("live/a", "stalled");
    const switchedAt = Date.now();
    const stalled = await waitFor(
      () => Promise.resolve(harness.host.streams.health("live/a")),
      (h) => h?.verdict === "unhealthy",
      10_000,
    );
    expect(stalled?.reasons.map((r) => r.code)).toEqual(["stalled"]);
    const polls = log.takenAt.filter((t) => t > switchedAt && t <= (stalled?.checkedAt ?? 0));
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.length).toBeLessThanOrEqual(2);
    const after = (await report())?.body as { deep: { runs: number } };
    expect(after.deep.runs).toBe(before.deep.runs);
    expect(await harness.metrics()).not.toMatch(/mtx_probe_deep_probes_total\{result="(failed|timeout)"\}/);
  }, 40_000);

  it("probes, takes thumbnails and probes URLs on demand, counting its reads as its own", async () => {
    await using harness = await harnessWith(
      testConfig({
        // Nothing scheduled during the test: every probe here is on demand.
        deep: { newStreamDelayMs: 600_000, maxConcurrent: 1, maxQueued: 0 },
        urls: { allowNetworks: ["127.0.0.1/32"] },
      }),
    );
    await sim.control.publish("live/a", "testsrc");
    await sim.control.publish("live/b", "testsrc");
    // Flowing (bytes grow, so the HLS output exists) and not probed yet.
    for (const path of ["live/a", "live/b"]) {
      await waitFor(
        () => Promise.resolve(harness.host.streams.health(path)),
        (h) => h?.verdict === "unknown" && Number(h.values.inboundBytesPerSecond) > 0,
      );
    }

    const probe = invoke(harness, "probe.path", { path: "live/b" });
    // The only slot is taken and nothing may queue.
    expect(await codeOf(invoke(harness, "probe.path", { path: "live/a" }))).toBe("MTX_PROBE_BUSY");
    expect(await probe).toMatchObject({ path: "live/b", verdict: "healthy", reasons: [], probe: "measured" });
    expect(harness.host.streams.health("live/b")?.values).toMatchObject({
      videoCodec: "h264",
      audioCodec: "aac",
    });

    // MediaMTX lists the probe's HLS sessions as readers (until 30 s after their last request);
    // they are the probe's own (its user agent, the harness polls session lists), never viewers.
    const viewer = await sim.control.addReader("live/b", "rtspSession");
    const res = await fetch(`${sim.apiUrl}/v3/paths/get/live/b`);
    const readers = ((await res.json()) as { readers: Array<{ type: string }> }).readers.map((r) => r.type);
    const sessions = readers.filter((type) => type === "hlsSession").length;
    expect([sessions > 0, readers.length]).toEqual([true, sessions + 1]);
    const counted = await waitFor(
      () =>
        Promise.resolve([
          harness.host.streams.ownReaders("live/b"),
          harness.host.streams.health("live/b")?.values.viewers,
        ]),
      ([own, viewers]) => own === sessions && viewers === 1,
    );
    expect(counted).toEqual([sessions, 1]);
    await sim.control.removeReader("live/b", viewer.id);

    const thumbnail = (await invoke(harness, "probe.thumbnail", { path: "live/a", fresh: true })) as Record<
      string,
      unknown
    >;
    const jpeg = Buffer.from(String(thumbnail.dataBase64), "base64");
    expect([thumbnail.contentType, jpeg[0], jpeg[1], thumbnail.bytes]).toEqual([
      "image/jpeg",
      0xff,
      0xd8,
      jpeg.length,
    ]);
    const served = await harness.host.route(
      "probe",
      "GET",
      "/thumbnail",
    )?.({ method: "GET", path: "/thumbnail", query: { path: "live/a" }, body: undefined, requestId: "r" });
    expect([served?.headers?.["content-type"], Buffer.compare(served?.body as Buffer, jpeg)]).toEqual([
      "image/jpeg",
      0,
    ]);
    // Not fresh: the stored one, without another read.
    expect(await invoke(harness, "probe.thumbnail", { path: "live/a" })).toEqual(thumbnail);

    expect(await codeOf(invoke(harness, "probe.path", { path: "nope" }))).toBe("MTX_NOT_FOUND");
    expect(await codeOf(invoke(harness, "probe.path", { name: "live/a" }))).toBe("MTX_INVALID_INPUT");

    // probe.url: the allow-listed network only, and only allowed schemes.
    const port = new URL(sim.hlsUrl).port;
    const forbidden = [
      `http://127.0.0.2:${port}/live/a/index.m3u8`,
      `http://[::1]:${port}/live/a/index.m3u8`,
      "http://10.1.2.3/x.m3u8",
      "file:///etc/passwd",
    ];
    for (const url of forbidden)
      expect([url, await codeOf(invoke(harness, "probe.url", { url }))]).toEqual([url, "MTX_URL_FORBIDDEN"]);
    const probed = await invoke(harness, "probe.url", { url: `${sim.hlsUrl}/live/b/index.m3u8` });
    expect(probed).toMatchObject({ verdict: "healthy", reasons: [], values: { videoCodec: "h264" } });
  }, 50_000);

  it("is unknown (no_snapshot) while MediaMTX cannot be polled, judges again when it can, forgets a vanished regex path", async () => {
    await using harness = await harnessWith(testConfig({ deep: { enabled: false } }));
    await sim.control.publish("live/a", "synthetic");
    const verdict = () => Promise.resolve(summary(harness.host.streams.health("live/a")));
    await waitFor(verdict, (v) => isDeepStrictEqual(v, ["healthy", []]));
    await sim.control.fault({ route: "/v3/paths/list", kind: "status", status: 500, times: 4 });
    expect(await waitFor(verdict, (v) => v?.[0] === "unknown")).toEqual(["unknown", ["no_snapshot"]]);
    expect(await waitFor(verdict, (v) => v?.[0] === "healthy")).toEqual(["healthy", []]);

    // A regex-instantiated path (all_others) that goes away vanishes from MediaMTX's list: its
    // last event says unknown (idle), and its health is gone, not "unavailable".
    await sim.control.publish("other/x", "synthetic");
    const other = () => Promise.resolve(summary(harness.host.streams.health("other/x")));
    await waitFor(other, (v) => isDeepStrictEqual(v, ["healthy", []]));
    await sim.control.unpublish("other/x");
    await waitFor(other, (v) => v === undefined);
    const last = await waitFor(
      async () => (await harness.outbox.read({ afterSeq: 0 })).filter((e) => e.path === "other/x").at(-1),
      (e) => (e?.payload as { verdict?: string } | undefined)?.verdict === "unknown",
    );
    expect(last?.payload).toMatchObject({
      verdict: "unknown",
      previous: "healthy",
      reasons: [{ code: "idle" }],
    });
  }, 30_000);
});
