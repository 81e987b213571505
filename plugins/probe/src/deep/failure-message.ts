/** The last stderr line that says what went wrong (ffmpeg ends with `url: reason`). */
export function failureMessage(stderrTail: string): string {
  const lines = stderrTail.split("\n").filter((l) => l.trim() !== "" && !/^\s*(bench|Exiting)/.test(l));
  return lines.at(-1)?.trim() ?? "ffmpeg ended without output";
}
