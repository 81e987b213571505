import { readFile } from "node:fs/promises";

/**
 * The `Environment=` settings of the shipped systemd unit, so the benchmark runs the agent the
 * way production does (and cannot drift from it).
 */
export async function unitEnvironment(unitFile: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const line of (await readFile(unitFile, "utf8")).split("\n")) {
    const match = /^Environment=(?:"([^"]*)"|(\S+))\s*$/.exec(line.trim());
    const assignment = match?.[1] ?? match?.[2];
    if (assignment === undefined) continue;
    const eq = assignment.indexOf("=");
    env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return env;
}
