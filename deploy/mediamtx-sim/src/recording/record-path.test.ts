import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { decodeRecordPath } from "./decode-record-path.ts";
import { commonPath, formatRecordPath } from "./record-path.ts";

const DEFAULT = "./recordings/%path/%Y-%m-%d_%H-%M-%S-%f";
// 2024-07-01T10:20:30.123456Z (summer: Berlin is +02:00) and 2024-01-15T23:59:59.000001Z (winter).
const SUMMER = Date.UTC(2024, 6, 1, 10, 20, 30) * 1000 + 123_456;
const WINTER = Date.UTC(2024, 0, 15, 23, 59, 59) * 1000 + 1;

describe("formatRecordPath", () => {
  it("writes the local wall time of the server's zone with microseconds and the extension", () => {
    expect([
      formatRecordPath(DEFAULT, "cams/a", SUMMER, { tz: "Europe/Berlin", format: "fmp4" }),
      formatRecordPath(DEFAULT, "cams/a", WINTER, { tz: "Europe/Berlin", format: "mpegts" }),
      formatRecordPath(DEFAULT, "cams/a", SUMMER, { tz: "UTC" }),
      formatRecordPath(DEFAULT, "cams/a", new Date(Date.UTC(2024, 6, 1, 10, 20, 30, 5)), { tz: "UTC" }),
    ]).toEqual([
      "./recordings/cams/a/2024-07-01_12-20-30-123456.mp4",
      "./recordings/cams/a/2024-01-16_00-59-59-000001.ts",
      "./recordings/cams/a/2024-07-01_10-20-30-123456",
      "./recordings/cams/a/2024-07-01_10-20-30-005000",
    ]);
  });

  it("encodes %z as Z or ±HHMM and %s as unix seconds", () => {
    const pattern = "rec/%path/%Y%m%dT%H%M%S%z_%s_%f";
    expect([
      formatRecordPath(pattern, "p", SUMMER, { tz: "Europe/Berlin" }),
      formatRecordPath(pattern, "p", SUMMER, { tz: "America/St_Johns" }),
      formatRecordPath(pattern, "p", SUMMER, { tz: "UTC" }),
    ]).toEqual([
      "rec/p/20240701T122030+0200_1719829230_123456",
      "rec/p/20240701T075030-0230_1719829230_123456",
      "rec/p/20240701T102030Z_1719829230_123456",
    ]);
  });

  it("uses the process TZ by default (checked in a child with TZ=Europe/Berlin)", async () => {
    const script = `import { formatRecordPath } from "${new URL("./record-path.ts", import.meta.url).pathname}";
      process.stdout.write(formatRecordPath(${JSON.stringify(DEFAULT)}, "x", ${SUMMER}, { format: "fmp4" }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, TZ: "Europe/Berlin" },
    });
    expect(stdout).toBe("./recordings/x/2024-07-01_12-20-30-123456.mp4");
  });
});

describe("decodeRecordPath", () => {
  it("reads names without a zone in the server's zone, round-tripping formatRecordPath", () => {
    const file = formatRecordPath(DEFAULT, "cams/a", SUMMER, { tz: "Europe/Berlin", format: "fmp4" });
    const decoded = decodeRecordPath(`${DEFAULT}.mp4`, file, { tz: "Europe/Berlin" });
    expect(decoded && { path: decoded.path, startMicros: decoded.startMicros }).toEqual({
      path: "cams/a",
      startMicros: SUMMER,
    });
    expect(decodeRecordPath(`${DEFAULT}.mp4`, file, { tz: "UTC" })?.startMicros).toBe(
      SUMMER + 2 * 3600 * 1e6,
    );
  });

  it("honours %z and lets %s win", () => {
    expect(
      decodeRecordPath("r/%path/%Y-%m-%d_%H-%M-%S-%f%z", "r/a/2024-07-01_12-20-30-123456+0200", { tz: "UTC" })
        ?.startMicros,
    ).toBe(SUMMER);
    expect(decodeRecordPath("r/%path/%s-%f", "r/a/1719829230-123456")?.startMicros).toBe(SUMMER);
  });

  it("matches unanchored like Go and returns null for other files", () => {
    expect(decodeRecordPath("r/%path/%s", "/abs/r/a/b/1719829230.mp4")?.path).toBe("a/b");
    expect(decodeRecordPath(`${DEFAULT}.mp4`, "./recordings/a/notes.txt")).toBeNull();
  });
});

describe("commonPath", () => {
  it("keeps the folders before the first placeholder", () => {
    expect([
      commonPath("./recordings/%path/%Y"),
      commonPath("/data/rec/%path"),
      commonPath("%path/x"),
    ]).toEqual(["./recordings", "/data/rec", ""]);
  });
});
