// Stream health end to end: real simulator media, a real agent and a real hub. Each simulator
// scenario must reach the hub as the right verdict and reason; the probe, thumbnail and
// probe-url routes go through the built-in probe plugin's actions (reading the simulator's
// HLS). Several paths on one simulator, probed in parallel, keep the file short.
import {
  type StartedHub,
  type StartedSimulator,
  startAgent,
  startHub,
  startNatsServer,
  startSimulator,
  waitFor,
} from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { createNode } from "./create-node.ts";

interface Stream {
  readonly id: string;
  readonly pathName: string;
  readonly status: string;
  readonly availability: string;
  readonly health: {
    readonly verdict: string;
    readonly reasons: Array<{ code: string; severity: string }>;
    readonly values: Record<string, unknown>;
    readonly checkedAt: string | null;
  } | null;
}

interface Page<T> {
  readonly items: T[];
  readonly itemCount: number;
}

/** Scenario published on each path, and the verdict and reason the hub must show for it. */
const SCENARIOS = {
  "health/testsrc": { scenario: "testsrc", status: "healthy", reason: null },
  "health/black": { scenario: "black", status: "unhealthy", reason: "black" },
  "health/frozen": { scenario: "frozen", status: "unhealthy", reason: "frozen" },
  "health/lowfps": { scenario: "lowfps", status: "degraded", reason: "fps_drop" },
  "health/silent": { scenario: "silent", status: "degraded", reason: "silent" },
  "health/noaudio": { scenario: "noaudio", status: "unhealthy", reason: "no_audio" },
  "health/stalled": { scenario: "stalled", status: "unhealthy", reason: "stalled" },
  // Published (no media: counters only), then unpublished: gone.
  "health/gone": { scenario: "synthetic", status: "unhealthy", reason: "unavailable" },
} as const;
type PathName = keyof typeof SCENARIOS;
const PATHS = Object.keys(SCENARIOS) as PathName[];

/** The probe plugin tuned for a short test: reads HLS, probes soon and often, 2 s samples. */
function healthPlugins(sim: StartedSimulator): Record<string, unknown> {
  return {
    probe: {
      config: {
        readUrl: `${sim.hlsUrl}/{path}/index.m3u8`,
        deep: {
          intervalMs: 5_000,
          recheckIntervalMs: 2_000,
          newStreamDelayMs: 500,
          minGapMs: 1_000,
          sampleSeconds: 2,
          maxConcurrent: 4,
          backoffBaseMs: 1_000,
        },
        thresholds: { blackMinSeconds: 1, freezeMinSeconds: 1, silenceMinSeconds: 1 },
        overrides: [{ match: "health/noaudio", expectAudio: true }],
        // The simulator listens on loopback, which probe-url refuses by default (no SSRF).
        urls: { allowNetworks: ["127.0.0.0/8"] },
      },
    },
  };
}

async function streamsOf(hub: StartedHub, nodeId: string): Promise<Map<string, Stream>> {
  const page = (await hub.request("GET", `/api/v1/streams?node=${nodeId}`)).body as Page<Stream>;
  return new Map((page.items ?? []).map((s) => [s.pathName, s]));
}

/** `[status, whether the expected reason is given]` per path: what the hub must show. */
function judged(streams: Map<string, Stream>, paths: readonly PathName[]): Record<string, unknown> {
  return Object.fromEntries(
    paths.map((path) => {
      const stream = streams.get(path);
      const { reason } = SCENARIOS[path];
      const codes = stream?.health?.reasons.map((r) => r.code) ?? [];
      return [path, [stream?.status, reason === null ? codes.length === 0 : codes.includes(reason)]];
    }),
  );
}

const expected = (paths: readonly PathName[]) =>
  Object.fromEntries(paths.map((path) => [path, [SCENARIOS[path].status, true]]));

// Deep probes on 2 shared cores are slow: the scenario test gets more than the default 30 s.
describe("stream health at the hub", () => {
  it("shows each scenario's verdict and reason, probes on demand, serves thumbnails and probes URLs", async () => {
    await using sim = await startSimulator({
      config: { paths: Object.fromEntries(PATHS.map((path) => [path, {}])) },
    });
    await Promise.all(PATHS.map((path) => sim.control.publish(path, SCENARIOS[path].scenario)));
    await using hub = await startHub();
    const node = await createNode(hub, { name: "edge-health", environment: "dev", labels: {} });
    await using _agent = await startAgent({
      config: {
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 500 },
        hub: { url: hub.linkUrl, enrolToken: node.token, telemetryIntervalMs: 500 },
        plugins: healthPlugins(sim),
      },
    });
    await waitFor(
      () => streamsOf(hub, node.id),
      (streams) => streams.get("health/gone")?.availability === "available",
      30_000,
    );
    await sim.control.unpublish("health/gone");
    const streams = await waitFor(
      async () => judged(await streamsOf(hub, node.id), PATHS),
      (now) => JSON.stringify(now) === JSON.stringify(expected(PATHS)),
      20_000,
    );
    expect(streams).toEqual(expected(PATHS));

    const ids = await streamsOf(hub, node.id);
    const idOf = (path: PathName) => ids.get(path)?.id ?? "";
    const [unhealthy, unavailable] = await Promise.all([
      hub.request("GET", `/api/v1/streams?node=${node.id}&status=unhealthy`),
      hub.request("GET", `/api/v1/streams?node=${node.id}&availability=unavailable`),
    ]);
    expect({
      unhealthy: (unhealthy.body as Page<Stream>).items.map((s) => s.pathName).sort(),
      unavailable: (unavailable.body as Page<Stream>).items.map((s) => s.pathName),
      tracks: ids.get("health/black")?.health?.values.tracks,
    }).toEqual({
      unhealthy: PATHS.filter((path) => SCENARIOS[path].status === "unhealthy").sort(),
      unavailable: ["health/gone"],
      tracks: "H264, MPEG-4 Audio",
    });

    const probed = await hub.request("POST", `/api/v1/health/probe/${idOf("health/black")}`);
    const probedBody = probed.body as { status: string; health: Stream["health"] };
    expect([probed.status, probedBody.status, probedBody.health?.reasons.map((r) => r.code)]).toEqual([
      200,
      "unhealthy",
      ["black"],
    ]);

    const thumbnail = await fetch(`${hub.url}/api/v1/streams/${idOf("health/testsrc")}/thumbnail`, {
      headers: { authorization: `Bearer ${hub.adminToken}` },
    });
    const picture = Buffer.from(await thumbnail.arrayBuffer());
    // A new picture of a stream that is gone cannot be taken (the latest may still be kept).
    const gone = await hub.request("GET", `/api/v1/streams/${idOf("health/gone")}/thumbnail?fresh=true`);
    expect({
      thumbnail: [
        thumbnail.status,
        thumbnail.headers.get("content-type"),
        picture.subarray(0, 3).toString("hex"),
      ],
      gone: [gone.status, (gone.body as { code: string }).code],
    }).toEqual({
      thumbnail: [200, "image/jpeg", "ffd8ff"],
      gone: [502, "MTX_PROBE_FAILED"],
    });

    const [url, forbidden] = await Promise.all([
      hub.request("POST", "/api/v1/health/probe-url", {
        nodeId: node.id,
        url: `${sim.hlsUrl}/health/testsrc/index.m3u8`,
      }),
      hub.request("POST", "/api/v1/health/probe-url", {
        nodeId: node.id,
        url: "ftp://files.example.net/a.ts",
      }),
    ]);
    expect({
      url: [url.status, (url.body as { health: Stream["health"] }).health?.verdict],
      forbidden: [forbidden.status, (forbidden.body as { code: string }).code],
    }).toEqual({ url: [200, "healthy"], forbidden: [403, "MTX_URL_FORBIDDEN"] });
  }, 45_000);

  // A tier-1 verdict (no deep probe, no media): only the transport differs from the test above.
  it("carries verdicts to the hub when telemetry goes through NATS", async () => {
    await using nats = await startNatsServer();
    await using sim = await startSimulator({ config: { paths: { "health/stalled": {} } } });
    await sim.control.publish("health/stalled", "stalled");
    await using hub = await startHub({ config: { nats: { servers: [nats.url] } } });
    const node = await createNode(hub, { name: "edge-health-nats", environment: "dev", labels: {} });
    await using _agent = await startAgent({
      config: {
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 500 },
        hub: {
          url: hub.linkUrl,
          enrolToken: node.token,
          telemetryIntervalMs: 500,
          nats: { servers: [nats.url] },
        },
        plugins: healthPlugins(sim),
      },
    });
    const streams = await waitFor(
      async () => judged(await streamsOf(hub, node.id), ["health/stalled"]),
      (now) => JSON.stringify(now) === JSON.stringify(expected(["health/stalled"])),
      20_000,
    );
    expect(streams).toEqual(expected(["health/stalled"]));
  });
});
