import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTempDir, spawnChild } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { openOutbox } from "./open-outbox.ts";

const CHILD = fileURLToPath(new URL("./disk-full-child.ts", import.meta.url));

/** A private mount namespace lets an unprivileged child mount a tiny tmpfs: a real full disk. */
const canMountTmpfs =
  spawnSync("unshare", [
    "-rm",
    "sh",
    "-c",
    "mount -t tmpfs -o size=64k tmpfs /mnt || mount -t tmpfs -o size=64k tmpfs /tmp",
  ]).status === 0;

interface ChildReport {
  error: { code: string; details: Record<string, unknown> } | string;
  ackedWhenFull: number;
  failedAgain: boolean;
  acked: string[];
  storedWhenFull: string[];
  afterSpaceBack: { storedIds: string[]; stats: Record<string, unknown> } | null;
  logged: string[];
}

async function runChild(command: string, args: string[]): Promise<ChildReport> {
  const child = spawnChild(command, { args });
  let output = "";
  child.child.stdout?.setEncoding("utf8");
  child.child.stdout?.on("data", (chunk: string) => {
    output += chunk;
  });
  const closed = once(child.child, "close");
  const code = await child.exited;
  await closed;
  if (code !== 0) throw new Error(`disk-full child exited ${code}:\n${child.stderrTail()}`);
  return JSON.parse(output.trim().split("\n").at(-1)!) as ChildReport;
}

describe("Outbox on a full disk", () => {
  it.skipIf(!canMountTmpfs)(
    "rejects appends with a disk-full error (ENOSPC), stays consistent and works again once space is back",
    async () => {
      await using tmp = await createTempDir();
      // Mounted inside the child's namespace only; the filler is created there too.
      const script =
        'mount -t tmpfs -o size=256k tmpfs "$0" && head -c 65536 /dev/zero > "$0/filler.bin" && exec "$@"';
      const report = await runChild("unshare", [
        "-rm",
        "sh",
        "-c",
        script,
        tmp.path,
        process.execPath,
        CHILD,
        tmp.path,
        "enospc",
      ]);

      expect(report.error).toEqual({
        code: "MTX_INTERNAL", // TODO(lead): MTX_DISK_FULL
        details: { dir: join(tmp.path, "outbox"), errno: "ENOSPC", diskFull: true },
      });
      expect(report.ackedWhenFull).toBeGreaterThan(50);
      expect(report.failedAgain).toBe(true);
      // Exactly the acknowledged events are stored: nothing lost, no half-written extra.
      expect(report.storedWhenFull).toEqual(report.acked.slice(0, report.ackedWhenFull));
      expect(report.afterSpaceBack?.storedIds).toEqual(report.acked);
      expect(report.afterSpaceBack?.stats).toMatchObject({ corruptSkipped: 0, dropped: 0 });
      expect(report.logged.filter((line) => line.includes("torn"))).toEqual([]);
    },
  );

  it("rejects appends past the file-size limit (EFBIG) and reopens with every acknowledged event", async () => {
    await using tmp = await createTempDir();
    // 48 KiB per file: the first segment (1 MiB in this mode) hits the limit mid-batch.
    const script = 'ulimit -f 48 && exec "$@"';
    const report = await runChild("bash", ["-c", script, "bash", process.execPath, CHILD, tmp.path, "efbig"]);

    expect(report.error).toMatchObject({ details: { errno: "EFBIG", diskFull: true } });
    expect(report.failedAgain).toBe(true);
    expect(report.storedWhenFull).toEqual(report.acked);

    await writeFile(join(tmp.path, "marker"), "limit is gone now");
    await using outbox = await openOutbox({ dir: join(tmp.path, "outbox"), segmentBytes: 16 * 1024 });
    const next = await outbox.append({ kind: "after", payload: 1 });
    const stored = await outbox.read({ afterSeq: 0, limit: 100_000, maxBytes: 1e9 });
    expect(stored.map((record) => record.id)).toEqual([...report.acked, next.id]);
    expect(outbox.stats()).toMatchObject({ corruptSkipped: 0, dropped: 0 });
  });
});
