import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const UNIT = new URL("../../../deploy/systemd/mtx-agent.service", import.meta.url);
const hasSystemdAnalyze = await run("systemd-analyze", ["--version"]).then(
  () => true,
  () => false,
);

/** The unit with ExecStart pointed at a binary that exists here, in a temp dir. */
async function unitCopy(dir: string): Promise<string> {
  const text = await readFile(UNIT, "utf8");
  expect(text).toContain("ExecStart=/usr/bin/mtx-agent ");
  const file = join(dir, "mtx-agent.service");
  await writeFile(file, text.replace("ExecStart=/usr/bin/mtx-agent ", `ExecStart=${process.execPath} `));
  return file;
}

describe.skipIf(!hasSystemdAnalyze)("deploy/systemd/mtx-agent.service", () => {
  it("passes systemd-analyze verify without a single warning", async () => {
    await using dir = await createTempDir("mtx-unit-");
    // Unknown keys and bad values are only warnings (exit 0), so stderr must be empty too.
    const { stdout, stderr } = await run("systemd-analyze", ["verify", "--man=no", await unitCopy(dir.path)]);
    expect({ stdout, stderr }).toEqual({ stdout: "", stderr: "" });
  });

  it("keeps its hardening: exposure score at most 2.0 of 10", async () => {
    await using dir = await createTempDir("mtx-unit-");
    const file = await unitCopy(dir.path);
    // --threshold is on a 0-100 scale and makes the command fail above it.
    const result = await run("systemd-analyze", ["security", "--offline=yes", "--threshold=20", file]);
    expect(result.stdout).toMatch(/Overall exposure level for mtx-agent\.service: [0-2]\.\d/);
  });

  it("matches what the agent's sd-notify needs", async () => {
    const text = await readFile(UNIT, "utf8");
    const settings = (key: string) => [...text.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1]);
    // systemd-notify children send the messages, so `main` would drop them.
    expect(settings("Type")).toEqual(["notify"]);
    expect(settings("NotifyAccess")).toEqual(["all"]);
    expect(settings("WatchdogSec")).toEqual(["30s"]);
    expect(settings("RestrictAddressFamilies")).toEqual(["AF_UNIX AF_INET AF_INET6"]);
  });
});
