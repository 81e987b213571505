// The probe plugin as the agent runs it: a real mtx-agent process with the built-in probe,
// a simulator with real media, and the agent's own local API over HTTP.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { startAgent, startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";

interface StreamItem {
  readonly name: string;
  readonly viewers: number;
  readonly health: {
    verdict: string;
    reasons: Array<{ code: string }>;
    values: Record<string, unknown>;
  } | null;
}

const EXPECTED = {
  "agent/healthy": ["healthy", []],
  "agent/black": ["unhealthy", ["black"]],
  "agent/stalled": ["unhealthy", ["stalled"]],
  "agent/idle": ["unhealthy", ["unavailable"]],
};

describe("mtx-agent with the built-in probe plugin", () => {
  it("shows verdicts in /api/v1/streams, serves thumbnails and takes probe requests with the token", async () => {
    await using sim = await startSimulator({
      config: { paths: Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, {}])) },
    });
    await using agent = await startAgent({
      config: {
        // With the session lists the probe's own HLS readers are known by their user agent.
        mediamtx: { apiUrl: sim.apiUrl, pollIntervalMs: 500, pollSessions: ["hlsSessions", "rtspSessions"] },
        plugins: {
          probe: {
            config: {
              readUrl: `${sim.hlsUrl}/{path}/index.m3u8`,
              deep: { newStreamDelayMs: 1_500, backoffBaseMs: 1_000, sampleSeconds: 2 },
              thresholds: {
                blackMinSeconds: 1,
                freezeMinSeconds: 1,
                silenceMinSeconds: 1,
                startupMaxMs: 30_000,
              },
              thumbnails: { intervalMs: 5_000 },
            },
          },
        },
      },
    });
    await sim.control.publish("agent/healthy", "testsrc");
    await sim.control.publish("agent/black", "black");
    await sim.control.publish("agent/stalled", "stalled");
    const viewer = await sim.control.addReader("agent/healthy", "rtspSession");

    const streams = async () => {
      const { body } = await agent.get("/api/v1/streams");
      const items = (body as { items: StreamItem[] }).items;
      return Object.fromEntries(items.map((s) => [s.name, s]));
    };
    const verdicts = async () =>
      Object.fromEntries(
        Object.entries(await streams()).map(([name, s]) => [
          name,
          s.health && [s.health.verdict, s.health.reasons.map((r) => r.code)],
        ]),
      );
    expect(await waitFor(verdicts, (v) => isDeepStrictEqual(v, EXPECTED), 40_000, 250)).toEqual(EXPECTED);
    const healthy = (await streams())["agent/healthy"];
    expect(healthy?.viewers).toBe(1);
    expect(healthy?.health?.values).toMatchObject({
      videoCodec: "h264",
      audioCodec: "aac",
      width: 640,
      viewers: 1,
    });
    await sim.control.removeReader("agent/healthy", viewer.id);

    // The plugin's own view, with the history of each stream.
    const { body: mine } = await agent.get("/api/v1/plugins/probe/x/stream?path=agent/black");
    const history = (
      mine as {
        history: Array<{ verdict: string; previous: string | null; reasons: Array<{ code: string }> }>;
      }
    ).history;
    // Verdict changes (the history also notes reason changes within a verdict).
    expect(history.filter((h) => h.previous !== h.verdict).map((h) => h.verdict)).toEqual([
      "unhealthy",
      "unknown",
      "unhealthy",
    ]);
    expect(history.at(-1)?.reasons.map((r) => r.code)).toEqual(["black"]);

    // A thumbnail on the slow schedule, on disk under the plugin's data dir, served as JPEG.
    const thumbnail = await waitFor(
      () => fetch(`${agent.url}/api/v1/plugins/probe/x/thumbnail?path=agent/healthy`),
      (res) => res.status === 200,
      20_000,
      250,
    );
    const jpeg = Buffer.from(await thumbnail.arrayBuffer());
    expect([thumbnail.headers.get("content-type"), jpeg[0], jpeg[1]]).toEqual(["image/jpeg", 0xff, 0xd8]);
    expect(await readdir(join(agent.dataDir, "plugins", "probe", "thumbnails"))).toContain(
      "agent%2Fhealthy.jpg",
    );

    // Probe now: a write, so the token is required.
    const anonymous = await fetch(`${agent.url}/api/v1/plugins/probe/x/probe`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "agent/healthy" }),
    });
    expect(anonymous.status).toBe(401);
    const probed = await agent.post("/api/v1/plugins/probe/x/probe", { path: "agent/healthy" });
    expect(probed).toMatchObject({
      status: 200,
      body: { path: "agent/healthy", verdict: "healthy", probe: "measured" },
    });
    const forbidden = await agent.post("/api/v1/plugins/probe/x/probe-url", {
      url: `${sim.hlsUrl}/agent/healthy/index.m3u8`,
    });
    expect(forbidden).toMatchObject({ status: 403, body: { code: "MTX_URL_FORBIDDEN" } });

    // Verdict changes are durable events of the agent.
    const { body: events } = await agent.get("/api/v1/events?limit=200");
    const verdictEvents = (events as { items: Array<{ kind: string; path?: string }> }).items.filter(
      (e) => e.kind === "probe.verdict" && e.path === "agent/black",
    );
    expect(verdictEvents.length).toBe(3);
  }, 55_000);
});
