import { describe, expect, it } from "vitest";
import { computePathDeltas } from "./compute-path-deltas.ts";
import type { MtxPath } from "./model.ts";

function path(name: string, fields: Partial<MtxPath> = {}): MtxPath {
  return {
    name,
    confName: name,
    available: true,
    availableTime: "2026-08-01T10:00:00Z",
    online: true,
    onlineTime: "2026-08-01T10:00:00Z",
    source: { type: "rtmpConn", id: "s1" },
    tracks: [],
    tracks2: [],
    readers: [],
    inboundBytes: 0,
    outboundBytes: 0,
    inboundFramesInError: 0,
    ...fields,
  };
}

const byName = (...paths: MtxPath[]) => new Map(paths.map((p) => [p.name, p]));

describe("computePathDeltas", () => {
  it("subtracts counters of the same stream and gives rates per second", () => {
    const before = path("cam", { inboundBytes: 1000, outboundBytes: 50, inboundFramesInError: 1 });
    const after = path("cam", { inboundBytes: 3000, outboundBytes: 250, inboundFramesInError: 4 });
    expect(computePathDeltas(byName(before), [after], 2000).get("cam")).toEqual({
      name: "cam",
      newStream: false,
      intervalMs: 2000,
      inboundBytes: 2000,
      outboundBytes: 200,
      inboundFramesInError: 3,
      inboundBytesPerSecond: 1000,
      outboundBytesPerSecond: 100,
    });
  });

  it("takes the new value when a counter went down (reset)", () => {
    const d = computePathDeltas(
      byName(path("cam", { inboundBytes: 9000 })),
      [path("cam", { inboundBytes: 700 })],
      1000,
    );
    expect(d.get("cam")).toMatchObject({ newStream: false, inboundBytes: 700 });
  });

  it("counts from 0 when availableTime changed or the path is new", () => {
    const before = path("cam", { inboundBytes: 100 });
    const restarted = path("cam", { inboundBytes: 500, availableTime: "2026-08-01T10:00:05Z" });
    expect(computePathDeltas(byName(before), [restarted], 1000).get("cam")).toMatchObject({
      newStream: true,
      inboundBytes: 500,
    });
    expect(computePathDeltas(byName(), [path("new", { inboundBytes: 42 })], 1000).get("new")).toMatchObject({
      newStream: true,
      inboundBytes: 42,
    });
  });

  it("reports frames in error as null when the node has no such counter", () => {
    const old = path("cam", { inboundFramesInError: null });
    expect(computePathDeltas(byName(old), [old], 1000).get("cam")?.inboundFramesInError).toBeNull();
  });
});
