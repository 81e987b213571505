import type { SimCore } from "./sim-core.ts";

/** What `/v3/hlsmuxers` and the `hls_muxers` metrics show of one muxer. */
export interface HlsMuxerView {
  readonly path: string;
  readonly createdMs: number;
  readonly lastRequestMs: number;
  readonly outboundBytes: number;
}

/**
 * The HLS server's muxers, plus one per path that only has simulated `hlsSession` readers
 * (added through the control endpoint), by creation time.
 */
export function hlsMuxerViews(core: SimCore, nowMs: number): HlsMuxerView[] {
  const out: HlsMuxerView[] = core.hlsMuxers.list().map((m) => ({ ...m }));
  for (const p of core.paths.list()) {
    if (core.hlsMuxers.get(p.name) !== undefined) continue;
    const simulated = [...p.readers.values()].filter(
      (r) => r.type === "hlsSession" && r.conn.close === undefined,
    );
    if (simulated.length === 0) continue;
    out.push({
      path: p.name,
      createdMs: Math.min(...simulated.map((r) => r.conn.createdMs)),
      lastRequestMs: nowMs,
      outboundBytes: simulated.reduce((s, r) => s + r.conn.outbound.value(nowMs), 0),
    });
  }
  return out.sort((a, b) => a.createdMs - b.createdMs);
}
