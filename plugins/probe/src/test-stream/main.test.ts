// The mtx-test-stream command as an e2e test runs it: a real process publishing into the
// simulator, stopped with SIGTERM.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startSimulator, waitFor } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { processGroupMembers } from "../deep/process-group-members.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const firstLine = new Promise<string>((resolve) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", () => resolve(""));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, firstLine, exited, stderr: () => stderr };
}

interface PathJson {
  available: boolean;
  source: { type: string } | null;
}

describe("mtx-test-stream", () => {
  it("publishes a scenario into a MediaMTX path until SIGTERM, then stops ffmpeg and exits 0", async () => {
    await using sim = await startSimulator();
    const cli = run(["black", `${sim.rtmpUrl}/cli/cam`]);
    const ready = JSON.parse(await cli.firstLine) as { msg: string; scenario: string; pid: number };
    expect(ready).toEqual({ msg: "publishing", scenario: "black", pid: expect.any(Number) });
    const path = await waitFor(
      async () => (await (await fetch(`${sim.apiUrl}/v3/paths/get/cli/cam`)).json()) as PathJson,
      (p) => p.available,
    );
    expect(path.source?.type).toBe("rtmpConn");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(await processGroupMembers(ready.pid)).toEqual([]);
    await waitFor(
      async () => (await fetch(`${sim.apiUrl}/v3/paths/get/cli/cam`)).status,
      (status) => status === 404,
    );
  });

  it("ends by itself after --duration", async () => {
    await using sim = await startSimulator();
    const cli = run(["testsrc", `${sim.rtmpUrl}/cli/short`, "--duration", "1"]);
    expect(JSON.parse(await cli.firstLine)).toMatchObject({ msg: "publishing" });
    expect(await cli.exited).toBe(0);
  });

  it("refuses bad arguments with the usage and exit code 2", async () => {
    const cli = run(["sparkly", "rtmp://127.0.0.1/x"]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain("unknown scenario 'sparkly'");
    expect(cli.stderr()).toContain("usage: mtx-test-stream");
  });
});
