import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { normalisePath } from "./normalise-path.ts";

describe("normalisePath", () => {
  it("maps a v1.9.3 path to current names and leaves unknown fields null", () => {
    const raw = {
      name: "cam",
      confName: "cam",
      source: { type: "webrtcSession", id: "abc" },
      ready: true,
      readyTime: "2026-08-01T10:00:00Z",
      tracks: ["H264"],
      bytesReceived: 123,
      bytesSent: 45,
      readers: [{ type: "hlsMuxer", id: "" }],
    };
    expect(normalisePath(raw, "test")).toEqual({
      name: "cam",
      confName: "cam",
      available: true,
      availableTime: "2026-08-01T10:00:00Z",
      online: null,
      onlineTime: null,
      source: { type: "webRTCSession", id: "abc" },
      tracks: ["H264"],
      tracks2: null,
      readers: [{ type: "hlsMuxer", id: "" }],
      inboundBytes: 123,
      outboundBytes: 45,
      inboundFramesInError: null,
    });
  });

  it("prefers current fields of a v1.20 path over deprecated duplicates", () => {
    const raw = {
      name: "a/b",
      confName: "~^a/.*$",
      available: false,
      availableTime: null,
      online: false,
      onlineTime: null,
      ready: false,
      readyTime: null,
      source: null,
      tracks: [],
      tracks2: [{ codec: "H264", codecProps: { width: 1280, height: 720, profile: "High", level: "4.1" } }],
      readers: [],
      inboundBytes: 10,
      bytesReceived: 10,
      outboundBytes: 0,
      bytesSent: 0,
      inboundFramesInError: 2,
    };
    expect(normalisePath(raw, "test")).toEqual({
      name: "a/b",
      confName: "~^a/.*$",
      available: false,
      availableTime: null,
      online: false,
      onlineTime: null,
      source: null,
      tracks: [],
      tracks2: [{ codec: "H264", codecProps: { width: 1280, height: 720, profile: "High", level: "4.1" } }],
      readers: [],
      inboundBytes: 10,
      outboundBytes: 0,
      inboundFramesInError: 2,
    });
  });

  it("rejects a path without counters as a bad response naming the field", () => {
    const err = (() => {
      try {
        return normalisePath({ name: "x", confName: "x", ready: true, readers: [] }, "GET /v3/paths/get/x");
      } catch (e) {
        return e;
      }
    })();
    expect(MtxError.is(err, "MTX_MEDIAMTX_BAD_RESPONSE")).toBe(true);
    expect((err as MtxError).details).toEqual({
      where: "GET /v3/paths/get/x.bytesReceived",
      problem: "expected a number, got nothing",
    });
  });
});
