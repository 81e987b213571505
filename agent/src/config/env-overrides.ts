/** Environment variables that override config fields (for containers and systemd drop-ins). */
export const ENV_OVERRIDES = {
  MTX_AGENT_NODE_NAME: { path: ["node", "name"], type: "string" },
  MTX_AGENT_DATA_DIR: { path: ["dataDir"], type: "string" },
  MTX_AGENT_MEDIAMTX_API_URL: { path: ["mediamtx", "apiUrl"], type: "string" },
  MTX_AGENT_MEDIAMTX_USERNAME: { path: ["mediamtx", "username"], type: "string" },
  MTX_AGENT_MEDIAMTX_PASSWORD: { path: ["mediamtx", "password"], type: "string" },
  MTX_AGENT_MEDIAMTX_POLL_INTERVAL_MS: { path: ["mediamtx", "pollIntervalMs"], type: "integer" },
  MTX_AGENT_LOCAL_API_HOST: { path: ["localApi", "host"], type: "string" },
  MTX_AGENT_LOCAL_API_PORT: { path: ["localApi", "port"], type: "integer" },
  MTX_AGENT_LOCAL_API_TOKEN: { path: ["localApi", "token"], type: "string" },
  MTX_AGENT_LOG_LEVEL: { path: ["log", "level"], type: "string" },
  MTX_AGENT_HUB_URL: { path: ["hub", "url"], type: "urls" },
  MTX_AGENT_HUB_ENROL_TOKEN: { path: ["hub", "enrolToken"], type: "string" },
} as const satisfies Record<string, { path: readonly string[]; type: "string" | "integer" | "urls" }>;

/**
 * Returns `raw` with the env overrides applied (a copy). An integer variable that is not an
 * integer is kept as the string, so validation names it with the field it overrides; a `urls`
 * variable with commas becomes a list (`MTX_AGENT_HUB_URL=hub-a:9801,hub-b:9801`).
 */
export function applyEnvOverrides(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const result = structuredClone(raw);
  for (const [name, { path, type }] of Object.entries(ENV_OVERRIDES)) {
    const text = env[name];
    if (text === undefined || text === "") continue;
    const value =
      type === "integer" && /^-?\d+$/.test(text)
        ? Number(text)
        : type === "urls" && text.includes(",")
          ? text
              .split(",")
              .map((item) => item.trim())
              .filter((item) => item !== "")
          : text;
    let target = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== "object" || next === null || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1] as string] = value;
  }
  return result;
}
