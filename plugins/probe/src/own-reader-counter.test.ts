import { describe, expect, it } from "vitest";
import { ownReaderCounter, readerTypesFor } from "./own-reader-counter.ts";
import { OwnReads } from "./own-reads.ts";
import { hlsSession, path, snapshot } from "./snapshot-fixture.ts";

const UA = "mtx-fleet-probe/0.1.0";

describe("OwnReads", () => {
  it("estimates open reads and finished ones a snapshot may still list", () => {
    let now = 1_000;
    const reads = new OwnReads({ lingerMs: 0, now: () => now });
    const endA = reads.begin("cam");
    const endB = reads.begin("cam");
    now = 2_000;
    endA();
    endA();
    // A snapshot that started while the read was open may still list it; a later one does not.
    expect([reads.estimate("cam", 1_500), reads.estimate("cam", 2_500)]).toEqual([2, 1]);
    endB();
    reads.prune(3_000);
    expect(reads.estimate("cam", 0)).toBe(0);
  });

  it("keeps finished HLS reads for as long as MediaMTX keeps their session", () => {
    let now = 0;
    const reads = new OwnReads({ lingerMs: 30_000, now: () => now });
    reads.begin("cam")();
    now = 29_000;
    expect([reads.estimate("cam", 29_000), reads.estimate("cam", 30_001)]).toEqual([1, 0]);
  });
});

describe("ownReaderCounter", () => {
  const readers = [
    { type: "hlsSession", id: "probe" },
    { type: "hlsSession", id: "viewer" },
    { type: "rtspSession", id: "rtsp-1" },
  ];
  const cam = path("cam", { readers });

  it("knows its own readers by user agent where the snapshot lists their sessions", () => {
    const sessions = {
      hlsSessions: [hlsSession("probe", "cam", UA), hlsSession("viewer", "cam", "Mozilla/5.0")],
    };
    const count = ownReaderCounter(snapshot(0, [cam], sessions), {
      userAgent: UA,
      readerTypes: ["hlsSession", "rtspSession"],
    });
    // rtspSessions are not polled: that reader is ours only as far as the estimate says.
    expect([count(cam, 0), count(cam, 1), count(cam, 5)]).toEqual([1, 2, 2]);
  });

  it("falls back to the estimate, never more than the readers of its reads' type it cannot attribute", () => {
    const count = ownReaderCounter(snapshot(0, [cam]), {
      userAgent: UA,
      readerTypes: readerTypesFor("http://127.0.0.1:8888/{path}/index.m3u8"),
    });
    expect([count(cam, 0), count(cam, 1), count(cam, 9)]).toEqual([0, 1, 2]);
    expect(readerTypesFor("rtsp://127.0.0.1:8554/{path}")).toEqual(["rtspSession"]);
  });
});
