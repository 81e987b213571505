import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LibLogger } from "../media/lib-logger.ts";
import { type RunningHook, runHook } from "./run-hook.ts";

const node = process.execPath;
let dir: string;
const hooks: RunningHook[] = [];

// Writes its argv and the hook variables it sees as JSON to argv[2].
const DUMP = `import { writeFileSync } from "node:fs";
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("MTX_") || k === "G1"));
writeFileSync(process.argv[2], JSON.stringify({ argv: process.argv.slice(3), env, cwd: process.cwd() }));`;

// Parent and child both log SIGINT; the parent does not forward it, so the child only sees it
// when the whole process group is signalled.
const FAMILY = `import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
const [out, role] = process.argv.slice(2);
if (role === "child") {
  process.on("SIGINT", () => { appendFileSync(out, "child INT\\n"); process.exit(0); });
  appendFileSync(out, "child ready\\n");
  setInterval(() => {}, 1000);
} else {
  const c = spawn(process.execPath, [process.argv[1], out, "child"], { stdio: "inherit" });
  const childExit = new Promise((r) => c.on("exit", r));
  process.on("SIGINT", () => { appendFileSync(out, "parent INT\\n"); void childExit.then(() => process.exit(0)); });
}`;

const STUBBORN = `process.on("SIGINT", () => {}); require("node:fs").writeFileSync(process.argv[2], "up"); setInterval(() => {}, 1000);`;

function recordingLogger(): LibLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (_o: object, msg?: string) => {
    lines.push(msg ?? "");
  };
  return { lines, debug: rec, info: rec, warn: rec, error: rec };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fileWith = (file: string, pred: (s: string) => boolean) => () =>
  readFile(file, "utf8").then((s) => (pred(s) ? s : undefined));

function start(opts: Parameters<typeof runHook>[0]): RunningHook {
  const h = runHook(opts);
  hooks.push(h);
  return h;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mtx-hooks-"));
  await writeFile(join(dir, "dump.mjs"), DUMP);
  await writeFile(join(dir, "family.mjs"), FAMILY);
  await writeFile(join(dir, "stubborn.cjs"), STUBBORN);
});

afterEach(async () => {
  await Promise.all(hooks.splice(0).map((h) => h.stop({ killAfterMs: 1_000 })));
  await rm(dir, { recursive: true, force: true });
});

describe("runHook", () => {
  it("runs without a shell: quotes split, variables expand, hostile values arrive intact", async () => {
    const out = join(dir, "out.json");
    const hostile = `it's "quoted"\nline2 $(rm -rf /) \`id\` ; && |`;
    const command = `'${node}' dump.mjs '${out}' "$MTX_QUERY" '$(touch pwned)' && echo 'a b' * $MTX_PATH/\${G1}x $NOPE`;
    start({ command, vars: { MTX_PATH: "cam/7", G1: "7", MTX_QUERY: hostile }, restart: false, cwd: dir });
    const seen = JSON.parse(await waitFor(fileWith(out, (s) => s.length > 0)));
    expect(seen).toEqual({
      argv: [hostile, "$(touch pwned)", "&&", "echo", "a b", "*", "cam/7/7x", ""],
      env: { MTX_PATH: "cam/7", G1: "7", MTX_QUERY: hostile },
      cwd: dir,
    });
    await expect(readFile(join(dir, "pwned"))).rejects.toThrow(/ENOENT/);
  });

  it("stops with SIGINT to the whole process group and waits for it", async () => {
    const out = join(dir, "family.log");
    const hook = start({ command: `'${node}' family.mjs '${out}'`, vars: {}, restart: false, cwd: dir });
    await waitFor(fileWith(out, (s) => s.includes("child ready")));
    const pid = hook.pid ?? -1;
    await hook.stop();
    const lines = (await readFile(out, "utf8")).trim().split("\n").sort();
    expect(lines).toEqual(["child INT", "child ready", "parent INT"]);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    expect(hook.pid).toBeUndefined();
  });

  it("restarts after every exit, whatever the code, logging code 0 like MediaMTX", async () => {
    const out = join(dir, "runs.log");
    const logger = recordingLogger();
    const codes: Array<number | null> = [];
    const script = `require('fs').appendFileSync('${out}', 'run\\n'); process.exit(3)`;
    const hook = start({
      command: `'${node}' -e "${script}"`,
      vars: {},
      restart: true,
      restartDelayMs: 100,
      cwd: dir,
      label: "runOnReady",
      logger,
      onExit: (c) => codes.push(c),
    });
    await waitFor(fileWith(out, (s) => s.split("\n").length > 3));
    // The third run may still be exiting when its line is written: wait for its exit code.
    await waitFor(async () => (codes.length >= 3 ? true : undefined));
    await hook.stop();
    expect(codes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(codes)).toEqual(new Set([3]));
    expect(new Set(logger.lines)).toEqual(new Set(["runOnReady command exited: command exited with code 0"]));
  });

  it("runs a non-restart hook once and logs nothing about its exit", async () => {
    const out = join(dir, "once.log");
    const logger = recordingLogger();
    const exits: Array<number | null> = [];
    const script = `require('fs').appendFileSync('${out}', 'run\\n'); process.exit(1)`;
    start({
      command: `'${node}' -e "${script}"`,
      vars: {},
      restart: false,
      restartDelayMs: 50,
      cwd: dir,
      logger,
      onExit: (c) => exits.push(c),
    });
    await waitFor(async () => (exits.length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect([await readFile(out, "utf8"), exits, logger.lines]).toEqual(["run\n", [1], []]);
  });

  it("reports a command that cannot start or cannot be split", async () => {
    const logger = recordingLogger();
    const errors: string[] = [];
    const onStartError = (e: Error) => errors.push(e.message);
    start({ command: "/nonexistent/bin/hook", vars: {}, restart: false, cwd: dir, logger, onStartError });
    start({
      command: "echo 'open",
      vars: {},
      restart: false,
      cwd: dir,
      logger,
      onStartError,
      label: "runOnInit",
    });
    await waitFor(async () => (errors.length === 2 ? true : undefined));
    expect(errors.sort()).toEqual([
      "Unterminated single-quoted string",
      "spawn /nonexistent/bin/hook ENOENT",
    ]);
    expect(logger.lines).toContain("runOnInit command failed: Unterminated single-quoted string");
  });

  it("kills a hook that ignores SIGINT only when killAfterMs is given", async () => {
    const up = join(dir, "up");
    const hook = start({ command: `'${node}' stubborn.cjs '${up}'`, vars: {}, restart: false, cwd: dir });
    await waitFor(fileWith(up, (s) => s === "up"));
    const pid = hook.pid ?? -1;
    const stopping = hook.stop();
    const early = await Promise.race([
      stopping.then(() => "stopped"),
      new Promise((r) => setTimeout(r, 400, "waiting")),
    ]);
    expect(early).toBe("waiting");
    await hook.stop({ killAfterMs: 100 });
    await stopping;
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
