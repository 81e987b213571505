import { runTool } from "../media/run-tool.ts";
import { readFmp4DurationSeconds } from "./fmp4-duration.ts";
import type { RecordFormat } from "./record-path.ts";

/** ffmpeg muxer arguments of a recording segment (fmp4 flushed every part, or MPEG-TS). */
export function muxerArgs(format: RecordFormat, partDurationMs: number): string[] {
  if (format === "mpegts") return ["-f", "mpegts"];
  const movflags = "frag_keyframe+empty_moov+default_base_moof";
  return ["-f", "mp4", "-movflags", movflags, "-frag_duration", String(partDurationMs * 1000)];
}

/** The real duration of a closed segment file, in seconds. */
export async function segmentDuration(file: string, format: RecordFormat): Promise<number> {
  if (format === "fmp4") return readFmp4DurationSeconds(file);
  const { stdout } = await runTool("ffprobe", [
    "-v",
    "error",
    "-show_entries",
    "format=duration",
    "-of",
    "csv=p=0",
    file,
  ]);
  return Number(stdout.trim()) || 0;
}
