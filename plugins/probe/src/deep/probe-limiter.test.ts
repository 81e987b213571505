import { readdir, readFile } from "node:fs/promises";
import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { ProbeLimiter } from "./probe-limiter.ts";
import { processGroupMembers } from "./process-group-members.ts";
import { runDeepProbe } from "./run-deep-probe.ts";
import { probeRequest } from "./test-support/probe-request.ts";
import { startSilentServer } from "./test-support/start-silent-server.ts";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Live (not zombie) ffmpeg processes of the given groups, from ONE scan of /proc (a snapshot). */
async function liveProcesses(pgids: ReadonlySet<number>): Promise<number> {
  const entries = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(
    entries.map((pid) => readFile(`/proc/${pid}/stat`, "utf8").catch(() => "")),
  );
  return stats.filter((stat) => {
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return comm === "ffmpeg" && state !== "Z" && pgids.has(Number(pgrp));
  }).length;
}

describe("ProbeLimiter", () => {
  it("runs at most maxConcurrent tasks, in order, and hands each freed slot to the next", async () => {
    const limiter = new ProbeLimiter({ maxConcurrent: 2, maxQueued: 10 });
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect({ started: [...started], active: limiter.active, queued: limiter.queued }).toEqual({
      started: [0, 1],
      active: 2,
      queued: 2,
    });
    gates[1]?.resolve();
    await runs[1];
    await Promise.resolve();
    expect({ started: [...started], active: limiter.active, queued: limiter.queued }).toEqual({
      started: [0, 1, 2],
      active: 2,
      queued: 1,
    });
    for (const g of gates) g.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect({ active: limiter.active, queued: limiter.queued }).toEqual({ active: 0, queued: 0 });
  });

  it("refuses with MTX_PROBE_BUSY when the queue is full", async () => {
    const limiter = new ProbeLimiter({ maxConcurrent: 1, maxQueued: 1 });
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    const second = limiter.run(() => gate.promise);
    const third = limiter.run(() => gate.promise).catch((e: unknown) => e);
    const error = await third;
    expect(error).toBeInstanceOf(MtxError);
    expect((error as MtxError).toJSON()).toMatchObject({
      code: "MTX_PROBE_BUSY",
      details: { active: 1, queued: 1, maxConcurrent: 1, maxQueued: 1 },
    });
    gate.resolve();
    await Promise.all([first, second]);
  });

  it("takes an aborted waiter out of the line and releases the slot when a task throws", async () => {
    const limiter = new ProbeLimiter({ maxConcurrent: 1, maxQueued: 5 });
    const gate = deferred();
    const first = limiter.run(async () => {
      await gate.promise;
      throw new Error("probe crashed");
    });
    const controller = new AbortController();
    const waiting = limiter.run(async () => "never", { signal: controller.signal }).catch((e: unknown) => e);
    expect(limiter.queued).toBe(1);
    controller.abort(new Error("plugin stopping"));
    expect(((await waiting) as Error).message).toBe("plugin stopping");
    expect(limiter.queued).toBe(0);
    gate.resolve();
    await expect(first).rejects.toThrow("probe crashed");
    expect(limiter.active).toBe(0);
    expect(await limiter.run(async () => "next")).toBe("next");
    await expect(limiter.run(async () => 1, { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it("never runs more ffmpeg processes than the cap under a burst of 200 on-demand probes", async () => {
    await using source = await startSilentServer();
    const cap = 8;
    const limiter = new ProbeLimiter({ maxConcurrent: cap });
    const pgids = new Set<number>();
    let maxActive = 0;
    let maxLive = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxLive = Math.max(maxLive, await liveProcesses(pgids));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const url = `http://127.0.0.1:${source.port}/live/x/index.m3u8`;
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        limiter.run(async () => {
          maxActive = Math.max(maxActive, limiter.active);
          return runDeepProbe(probeRequest(url, { sampleSeconds: 1, timeoutMs: 300 }), {
            onSpawn: (pgid) => pgids.add(pgid),
          });
        }),
      ),
    );
    sampling = false;
    await sampler;
    expect(results.filter((r) => r.kind === "timeout")).toHaveLength(200);
    expect(pgids.size).toBe(200);
    expect(source.accepted).toBeGreaterThan(0);
    expect({
      maxActive,
      maxOpen: Math.min(source.maxOpen, cap + 1),
      maxLive: Math.min(maxLive, cap + 1),
    }).toEqual({
      maxActive: cap,
      maxOpen: expect.any(Number),
      maxLive: expect.any(Number),
    });
    expect(source.maxOpen).toBeLessThanOrEqual(cap);
    expect(maxLive).toBeLessThanOrEqual(cap);
    expect(maxLive).toBeGreaterThan(0);
    expect(await liveProcesses(pgids)).toBe(0);
    for (const pgid of pgids) expect(await processGroupMembers(pgid)).toEqual([]);
  }, 60_000);
});
