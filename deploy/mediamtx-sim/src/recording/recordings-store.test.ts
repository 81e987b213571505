import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findPathConf } from "./find-path-conf.ts";
import { formatRecordPath, type RecordConfig } from "./record-path.ts";
import { deleteSegment, getRecording, listRecordings } from "./recordings-store.ts";

const tz = "Europe/Berlin";
const DEFAULT = "./recordings/%path/%Y-%m-%d_%H-%M-%S-%f";
const T1 = Date.UTC(2024, 6, 1, 10, 0, 0) * 1000 + 250_000;
const T2 = T1 + 3_600_000_000;
const configs: RecordConfig[] = [
  { name: "cam1", recordPath: DEFAULT, format: "fmp4" },
  { name: "~^site/(\\d+)$", recordPath: "./other/%path/%s-%f", format: "mpegts" },
  { name: "gone", recordPath: DEFAULT, format: "fmp4" },
];
let cwd: string;

async function touch(
  pattern: string,
  path: string,
  micros: number,
  format: RecordConfig["format"],
): Promise<string> {
  const rel = formatRecordPath(pattern, path, micros, { tz, format });
  await mkdir(dirname(join(cwd, rel)), { recursive: true });
  await writeFile(join(cwd, rel), "x");
  return rel;
}

async function rejection(p: Promise<unknown>): Promise<MtxError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!MtxError.is(e)) throw new Error(`expected an MtxError, got ${String(e)}`);
  return e;
}

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "mtx-rec-"));
  await touch(DEFAULT, "cam1", T2, "fmp4");
  await touch(DEFAULT, "cam1", T1, "fmp4");
  await touch("./other/%path/%s-%f", "site/7", T1, "mpegts");
  await touch("./other/%path/%s-%f", "site/x", T1, "mpegts"); // does not match the regex
  await touch(DEFAULT, "unconfigured", T1, "fmp4");
  await writeFile(join(cwd, "recordings", "cam1", "notes.txt"), "not a segment");
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe("listRecordings / getRecording", () => {
  it("lists configured paths with segments, sorted, with starts in the server's offset", async () => {
    expect(await listRecordings({ cwd, configs, tz })).toEqual([
      {
        name: "cam1",
        segments: [{ start: "2024-07-01T12:00:00.25+02:00" }, { start: "2024-07-01T13:00:00.25+02:00" }],
      },
      { name: "site/7", segments: [{ start: "2024-07-01T12:00:00.25+02:00" }] },
    ]);
  });

  it("gets one path, empty when it has no files, 400 when not configured", async () => {
    expect(await getRecording({ cwd, configs, tz, pathName: "gone" })).toEqual({
      name: "gone",
      segments: [],
    });
    expect((await getRecording({ cwd, configs, tz, pathName: "site/7" })).segments).toHaveLength(1);
    const e = await rejection(getRecording({ cwd, configs, tz, pathName: "nope" }));
    expect([e.code, e.message, e.details]).toEqual([
      "MTX_INVALID_INPUT",
      "path 'nope' is not configured",
      { httpStatus: 400 },
    ]);
  });
});

describe("deleteSegment", () => {
  it("deletes the file named by the exact start string from the API", async () => {
    await deleteSegment({ cwd, configs, tz, path: "cam1", start: "2024-07-01T12:00:00.25+02:00" });
    expect(await readdir(join(cwd, "recordings", "cam1"))).toEqual([
      "2024-07-01_13-00-00-250000.mp4",
      "notes.txt",
    ]);
  });

  it("fails with MediaMTX's message when the start is given in UTC on a non-UTC server", async () => {
    const e = await rejection(
      deleteSegment({ cwd, configs, tz, path: "cam1", start: "2024-07-01T10:00:00.25Z" }),
    );
    expect([e.message, e.details]).toEqual([
      "remove ./recordings/cam1/2024-07-01_10-00-00-250000.mp4: no such file or directory",
      { httpStatus: 400 },
    ]);
  });

  it("rejects an invalid start and an unconfigured path", async () => {
    const bad = await rejection(deleteSegment({ cwd, configs, tz, path: "cam1", start: "yesterday" }));
    expect(bad.message).toMatch(/^invalid 'start' parameter: parsing time "yesterday"/);
    const missing = await rejection(
      deleteSegment({ cwd, configs, tz, path: "x/y", start: "2024-07-01T10:00:00Z" }),
    );
    expect(missing.message).toBe("path 'x/y' is not configured");
  });
});

describe("findPathConf", () => {
  const confs = [{ name: "all_others" }, { name: "~^b" }, { name: "~^a" }, { name: "abc" }];
  it("prefers literal names, then regexes by name, then all_others", () => {
    expect(["abc", "abd", "b1", "zzz"].map((n) => findPathConf(confs, n).name)).toEqual([
      "abc",
      "~^a",
      "~^b",
      "all_others",
    ]);
  });
  it("rejects invalid names with MediaMTX's wording", () => {
    let msg = "";
    try {
      findPathConf(confs, "/x");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toBe("invalid path name: can't begin with a slash (/x)");
  });
});
