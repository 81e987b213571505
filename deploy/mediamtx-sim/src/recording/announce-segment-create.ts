import { stat } from "node:fs/promises";

const POLL_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `onCreate` once the segment ffmpeg writes at `absolute` holds bytes, as MediaMTX fires
 * runOnRecordSegmentCreate: not before the first part (`partDurationMs`) is due, then polled
 * every 100 ms; never when ffmpeg exits before writing anything. Resolves, once that is decided,
 * to whether it was called (a segment finished too fast for a poll is announced by the caller).
 */
export async function announceSegmentCreate(
  absolute: string,
  exited: Promise<unknown>,
  partDurationMs: number,
  onCreate: () => void,
): Promise<boolean> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  await sleep(partDurationMs);
  while (!hasExited) {
    const size = await stat(absolute).then(
      (s) => s.size,
      () => 0,
    );
    if (size > 0) {
      onCreate();
      return true;
    }
    await sleep(POLL_MS);
  }
  return false;
}
