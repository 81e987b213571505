import { spawn } from "node:child_process";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { eventually, httpCall } from "../test-support/http-call.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const baseYml = { api: true, apiAddress: "127.0.0.1:0", metrics: false, playback: false, hls: false };

async function writeAtomically(file: string, value: unknown): Promise<void> {
  await writeFile(`${file}.tmp`, typeof value === "string" ? value : JSON.stringify(value));
  await rename(`${file}.tmp`, file);
}

async function runToExit(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stderr };
}

describe("config file loading and reload", () => {
  it("exits 1 on a bad file at startup, logging MediaMTX's message", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-bad-"));
    try {
      await writeFile(join(dir, "m.yml"), "foo: bar\n");
      const r = await runToExit([join(dir, "m.yml"), "--control-address", "127.0.0.1:0"], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('json: unknown field \\"foo\\"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a file change reloads the whole file and discards API changes (trap 1)", async () => {
    await using sim = await startSimulator({ config: { paths: { fromFile: {} } } });
    const api = (m: string, r: string, b?: unknown) => httpCall(sim.apiUrl, m, r, b);
    await api("POST", "/v3/config/paths/add/fromApi", {});
    await eventually(async () =>
      (await api("GET", "/v3/config/paths/get/fromApi")).status === 200 ? true : undefined,
    );
    await writeAtomically(sim.configPath, {
      ...baseYml,
      apiAddress: new URL(sim.apiUrl).host,
      metrics: true,
      metricsAddress: new URL(sim.metricsUrl).host,
      playback: true,
      playbackAddress: new URL(sim.playbackUrl).host,
      hls: true,
      hlsAddress: new URL(sim.hlsUrl).host,
      rtmpAddress: new URL(sim.rtmpUrl.replace("rtmp:", "http:")).host,
      paths: { fromFile: {}, second: {} },
    });
    await eventually(async () =>
      (await api("GET", "/v3/config/paths/get/second")).status === 200 ? true : undefined,
    );
    expect((await api("GET", "/v3/config/paths/get/fromApi")).status).toBe(404);
  });

  it("a reload that fails makes the simulator exit 0 (trap 3)", async () => {
    const sim = await startSimulator({ config: { paths: { a: {} } } });
    try {
      await writeAtomically(sim.configPath, "paths:\n  /bad: {}\n");
      const code = await eventually(async () => {
        const r = await sim.control.state().then(
          () => undefined,
          () => "gone",
        );
        return r;
      });
      expect(code).toBe("gone");
      expect(await sim.stop()).toBe(0);
      expect(sim.stderr()).toContain("invalid path name '/bad': can't begin with a slash");
    } finally {
      await sim[Symbol.asyncDispose]();
    }
  });
});
