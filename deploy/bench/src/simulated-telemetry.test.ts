import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { TelemetrySchema } from "@mtx-fleet/proto";
import { describe, expect, it } from "vitest";
import { simulatedTelemetry } from "./simulated-telemetry.ts";

describe("simulatedTelemetry", () => {
  it("is a full telemetry of the asked number of paths that survives the wire", () => {
    const wire = toBinary(TelemetrySchema, create(TelemetrySchema, simulatedTelemetry(3, 1, 2_000)));
    const decoded = fromBinary(TelemetrySchema, wire);
    expect(decoded.full).toBe(true);
    expect(decoded.sequence).toBe(1n);
    expect(decoded.paths.map((path) => path.name)).toEqual(["cam/0000", "cam/0001", "cam/0002"]);
    expect(decoded.paths.map((path) => path.inboundBytes)).toEqual([500_000n, 500_000n, 500_000n]);
  });

  it("grows the byte counters with the sequence, 2 s of traffic per step", () => {
    const [first] = simulatedTelemetry(1, 1, 2_000).paths ?? [];
    const [second] = simulatedTelemetry(1, 2, 2_000).paths ?? [];
    expect([first?.inboundBytes, second?.inboundBytes]).toEqual([500_000n, 1_000_000n]);
  });
});
