/** Environment variables that override hub config fields (for containers and systemd drop-ins). */
export const HUB_ENV_OVERRIDES = {
  MTX_HUB_DATA_DIR: { path: ["dataDir"], type: "string" },
  MTX_HUB_API_HOST: { path: ["api", "host"], type: "string" },
  MTX_HUB_API_PORT: { path: ["api", "port"], type: "integer" },
  MTX_HUB_LINK_HOST: { path: ["link", "host"], type: "string" },
  MTX_HUB_LINK_PORT: { path: ["link", "port"], type: "integer" },
  MTX_HUB_NATS_SERVERS: { path: ["nats", "servers"], type: "list" },
  MTX_HUB_STORE_KIND: { path: ["store", "kind"], type: "string" },
  MTX_HUB_ADMIN_PASSWORD: { path: ["auth", "adminPassword"], type: "string" },
  MTX_HUB_LOG_LEVEL: { path: ["log", "level"], type: "string" },
} as const satisfies Record<string, { path: readonly string[]; type: "string" | "integer" | "list" }>;

function convert(text: string, type: "string" | "integer" | "list"): unknown {
  switch (type) {
    case "string":
      return text;
    // Not an integer: kept as the string, so validation names the field it overrides.
    case "integer":
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case "list":
      return text
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
    default:
      return type satisfies never;
  }
}

/** Returns `raw` with the `MTX_HUB_*` overrides applied (a copy). */
export function applyHubEnvOverrides(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const result = structuredClone(raw);
  for (const [name, { path, type }] of Object.entries(HUB_ENV_OVERRIDES)) {
    const text = env[name];
    if (text === undefined || text === "") continue;
    let target = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== "object" || next === null || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1] as string] = convert(text, type);
  }
  return result;
}
