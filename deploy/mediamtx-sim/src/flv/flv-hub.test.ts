import { describe, expect, it } from "vitest";
import { FlvHub } from "./flv-hub.ts";
import { FLV_AUDIO, FLV_SCRIPT, FLV_VIDEO, type FlvTag } from "./flv-tag.ts";

const video = (ts: number, key: boolean): FlvTag => ({
  type: FLV_VIDEO,
  timestamp: ts,
  data: Buffer.from([key ? 0x17 : 0x27, 1, 0, 0, 0]),
});
const audio = (ts: number): FlvTag => ({ type: FLV_AUDIO, timestamp: ts, data: Buffer.from([0xaf, 1, 9]) });
const videoConfig: FlvTag = { type: FLV_VIDEO, timestamp: 0, data: Buffer.from([0x17, 0, 0, 0, 0, 1]) };
const audioConfig: FlvTag = { type: FLV_AUDIO, timestamp: 0, data: Buffer.from([0xaf, 0, 0x11, 0x88]) };

function collect(hub: FlvHub): { tags: FlvTag[]; ended: () => boolean; detach: () => void } {
  const tags: FlvTag[] = [];
  let ended = false;
  const detach = hub.subscribe({ tag: (t) => tags.push(t), end: () => (ended = true) });
  return { tags, ended: () => ended, detach };
}

describe("FlvHub", () => {
  it("starts a late reader with metadata, sequence headers and the GOP of the last key frame, rebased to 0", () => {
    const hub = new FlvHub();
    hub.push({ type: FLV_SCRIPT, timestamp: 0, data: Buffer.from("meta") });
    for (const t of [
      videoConfig,
      audioConfig,
      video(0, true),
      audio(10),
      video(40, false),
      video(1000, true),
    ]) {
      hub.push(t);
    }
    hub.push(audio(1010));
    hub.push(video(1040, false));
    const late = collect(hub);
    expect(late.tags.map((t) => [t.type, t.timestamp, t.data[0]])).toEqual([
      [FLV_SCRIPT, 0, "m".charCodeAt(0)],
      [FLV_VIDEO, 0, 0x17],
      [FLV_AUDIO, 0, 0xaf],
      [FLV_VIDEO, 0, 0x17],
      [FLV_AUDIO, 10, 0xaf],
      [FLV_VIDEO, 40, 0x27],
    ]);
    hub.push(audio(1060));
    expect(late.tags.at(-1)?.timestamp).toBe(60);
    expect([hub.hasVideo, hub.hasAudio, hub.mediaBytes > 0]).toEqual([true, true, true]);
  });

  it("ends every reader when the publisher leaves, and detached readers get nothing more", () => {
    const hub = new FlvHub();
    hub.push(video(0, true));
    const a = collect(hub);
    const b = collect(hub);
    b.detach();
    hub.push(video(40, false));
    hub.end();
    expect([a.tags.length, a.ended(), b.tags.length, b.ended()]).toEqual([2, true, 1, false]);
    expect(collect(hub).ended()).toBe(true);
  });
});
