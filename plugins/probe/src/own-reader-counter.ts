import {
  CONNECTION_ENDPOINTS,
  type ConnectionGroupName,
  type MtxPath,
  type MtxSnapshot,
} from "@mtx-fleet/mediamtx";

/** Counts the probe's own readers of a path in one snapshot. */
export type OwnReaderCounter = (path: MtxPath, estimate: number) => number;

/** The reader types a read of each scheme shows up as (CONTRACT §2). */
const READER_TYPES: Readonly<Record<string, readonly string[]>> = {
  rtsp: ["rtspSession"],
  rtsps: ["rtspsSession"],
  rtmp: ["rtmpConn"],
  rtmps: ["rtmpsConn"],
  http: ["hlsSession", "hlsMuxer"],
  https: ["hlsSession", "hlsMuxer"],
  srt: ["srtConn"],
};

/** The reader types of reads from `readUrl`. */
export function readerTypesFor(readUrl: string): readonly string[] {
  const scheme = (/^([a-z][a-z0-9+.-]*):/i.exec(readUrl)?.[1] ?? "").toLowerCase();
  return READER_TYPES[scheme] ?? [];
}

/**
 * How many of a path's readers are the probe's own. Exact where the snapshot holds the reader's
 * session list (`mediamtx.pollSessions`) and its protocol carries a user agent (HLS, RTSP): a
 * reader is ours when it shows `userAgent`. The other readers of the type our reads show up as
 * cannot be told apart, so up to `estimate` of them (the reads the probe had open, or recently
 * closed, see `OwnReads`) are taken as ours: a viewer may then be missed for a moment, a probe is
 * never shown as a viewer.
 */
export function ownReaderCounter(
  snapshot: MtxSnapshot,
  options: { readonly userAgent: string; readonly readerTypes: readonly string[] },
): OwnReaderCounter {
  const { userAgent, readerTypes } = options;
  const polled = new Set<string>();
  const agents = new Map<string, string | null>();
  for (const [group, spec] of Object.entries(CONNECTION_ENDPOINTS)) {
    const list = snapshot.connections[group as ConnectionGroupName];
    if (list === undefined) continue;
    polled.add(spec.type);
    for (const conn of list) agents.set(`${spec.type}/${conn.id}`, conn.userAgent);
  }
  return (path, estimate) => {
    let ours = 0;
    let unknown = 0;
    for (const reader of path.readers) {
      const agent = polled.has(reader.type) ? agents.get(`${reader.type}/${reader.id}`) : undefined;
      if (agent === userAgent) ours += 1;
      // Not polled, not (yet) in its list, or a protocol without user agents (RTMP, SRT).
      else if ((agent === undefined || agent === null || agent === "") && readerTypes.includes(reader.type)) {
        unknown += 1;
      }
    }
    return ours + Math.min(unknown, estimate);
  };
}
