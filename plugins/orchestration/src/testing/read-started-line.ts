import type { Readable } from "node:stream";

/** What the test worker prints first. */
export interface StartedLine {
  readonly msg: "started";
  readonly pid: number;
  readonly pgid: number;
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly child: number | null;
}

/** Resolves with the test worker's first stdout line, parsed. */
export function readStartedLine(stdout: Readable, timeoutMs = 10_000): Promise<StartedLine> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(
      () => reject(new Error(`no started line within ${timeoutMs} ms: ${text}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      const newline = text.indexOf("\n");
      if (newline === -1) return;
      clearTimeout(timer);
      stdout.off("data", onData);
      resolve(JSON.parse(text.slice(0, newline)) as StartedLine);
    };
    stdout.on("data", onData);
  });
}
