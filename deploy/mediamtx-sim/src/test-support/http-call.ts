/** A response of a test HTTP call. */
export interface HttpResult {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
  readonly headers: Headers;
  /** The body parsed as JSON (undefined if it is not JSON). */
  readonly json: unknown;
}

/** Calls `base + route` with an optional JSON (or raw string) body. */
export async function httpCall(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const res = await fetch(base + route, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    text,
    contentType: res.headers.get("content-type") ?? "",
    headers: res.headers,
    json,
  };
}

/** Polls `check` until it returns a value other than undefined (or throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A whole yml (as JSON) for `startSimulator({ configText })`: loopback servers on free ports and
 * exactly the given keys, so tests control `paths` completely (no `all_others` from the kit).
 */
export function simConfigText(extra: Record<string, unknown>): string {
  const base = {
    api: true,
    apiAddress: "127.0.0.1:0",
    metrics: true,
    metricsAddress: "127.0.0.1:0",
    playback: true,
    playbackAddress: "127.0.0.1:0",
    hls: true,
    hlsAddress: "127.0.0.1:0",
    rtmp: true,
    rtmpAddress: "127.0.0.1:0",
    rtsp: true,
    rtspAddress: "127.0.0.1:0",
  };
  return `${JSON.stringify({ ...base, ...extra }, null, 2)}\n`;
}
