import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startSimulator } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { eventually, simConfigText } from "../test-support/http-call.ts";

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe("record cleaner", () => {
  it("deletes old segments of configured paths only", async () => {
    await using sim = await startSimulator({
      configText: simConfigText({ paths: { cam: { recordSegmentDuration: "1s", recordDeleteAfter: "2s" } } }),
    });
    const old = join(sim.workDir, "recordings/cam/2020-01-01_00-00-00-000000.mp4");
    const foreign = join(sim.workDir, "recordings/other/2020-01-01_00-00-00-000000.mp4");
    for (const f of [old, foreign]) {
      await mkdir(join(f, ".."), { recursive: true });
      await writeFile(f, "x");
    }
    await eventually(async () => ((await exists(old)) ? undefined : true), 10_000);
    expect(await exists(foreign)).toBe(true);
  });
});
