import { execFile } from "node:child_process";

/** Output of an ffmpeg-family tool run to completion. */
export interface ToolOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `file args` (ffprobe, ffmpeg) to completion without a shell and returns its output;
 * rejects on a non-zero exit or after `timeoutMs` (the process is killed).
 */
export function runTool(
  file: string,
  args: readonly string[],
  opts: { timeoutMs?: number; cwd?: string } = {},
): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs ?? 30_000,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
        cwd: opts.cwd,
      },
      (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stdout, stderr }));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** Runs ffprobe with `-of json` appended and parses its answer. */
export async function ffprobeJson(
  args: readonly string[],
  opts: { timeoutMs?: number } = {},
): Promise<unknown> {
  const { stdout } = await runTool("ffprobe", ["-v", "error", ...args, "-of", "json"], opts);
  return JSON.parse(stdout) as unknown;
}
