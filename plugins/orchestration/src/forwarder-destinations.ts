import { MtxError, type PluginStore } from "@mtx-fleet/plugin-api";

export const MAX_DESTINATIONS_PER_STREAM = 16;
const MAX_URL_CHARS = 2_048;
const MAX_STREAM_KEY_CHARS = 256;
const KEY_PREFIX = "destinations:";

/**
 * Checks a destination from outside (the local API): an `rtmp://` or `rtmps://` URL with a host,
 * no whitespace or control characters. It is passed to ffmpeg as one argument, never through a
 * shell; the checks keep a typo (or a `-option`) from becoming a process that can never work.
 */
export function checkDestination(url: unknown, field: string): string {
  if (typeof url !== "string" || url.length === 0 || url.length > MAX_URL_CHARS) {
    throw new MtxError("MTX_INVALID_INPUT", `${field} must be a URL of 1 to ${MAX_URL_CHARS} characters`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(url)) {
    throw new MtxError("MTX_INVALID_INPUT", `${field} must not contain whitespace or control characters`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MtxError("MTX_INVALID_INPUT", `${field} is not a valid URL`);
  }
  if ((parsed.protocol !== "rtmp:" && parsed.protocol !== "rtmps:") || parsed.hostname === "") {
    throw new MtxError("MTX_INVALID_INPUT", `${field} must be an rtmp:// or rtmps:// URL with a host`);
  }
  return url;
}

/** Checks the key a list is stored under (a stream id or a path, from outside). */
export function checkStreamKey(key: unknown, field: string): string {
  // The rules of a MediaMTX path name (CONTRACT §3): a key that could never match a stream is a typo.
  const valid =
    typeof key === "string" &&
    key.length <= MAX_STREAM_KEY_CHARS &&
    /^[A-Za-z0-9_.~-]+(\/[A-Za-z0-9_.~-]+)*$/.test(key) &&
    !key.split("/").some((segment) => segment === "." || segment === "..");
  if (!valid) {
    throw new MtxError(
      "MTX_INVALID_INPUT",
      `${field} must be a stream id or path (letters, digits, _ . ~ - and / between segments, no dot segments; at most ${MAX_STREAM_KEY_CHARS})`,
    );
  }
  return key;
}

/** Checks a whole list from outside; duplicates are dropped (one process per destination). */
export function checkDestinations(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new MtxError("MTX_INVALID_INPUT", `${field} must be an array of URLs`);
  if (value.length > MAX_DESTINATIONS_PER_STREAM) {
    throw new MtxError("MTX_INVALID_INPUT", `${field} holds at most ${MAX_DESTINATIONS_PER_STREAM} URLs`);
  }
  return [...new Set(value.map((url, i) => checkDestination(url, `${field}.${i}`)))];
}

/**
 * Per-stream destinations set at runtime (an operator adds a YouTube key), kept in the plugin's
 * store so they survive restarts. One store key per stream: writes for different streams never
 * rewrite each other.
 */
export class ForwarderDestinations {
  readonly #store: PluginStore;

  constructor(store: PluginStore) {
    this.#store = store;
  }

  get(streamKey: string): readonly string[] {
    const value = this.#store.get<unknown>(KEY_PREFIX + streamKey);
    // What is on disk was checked when written; a hand-edited file must not break the plugin.
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  }

  all(): ReadonlyArray<{ readonly stream: string; readonly destinations: readonly string[] }> {
    return this.#store
      .keys()
      .filter((k) => k.startsWith(KEY_PREFIX))
      .map((k) => ({
        stream: k.slice(KEY_PREFIX.length),
        destinations: this.get(k.slice(KEY_PREFIX.length)),
      }))
      .sort((a, b) => a.stream.localeCompare(b.stream));
  }

  async set(streamKey: string, destinations: readonly string[]): Promise<void> {
    if (destinations.length === 0) await this.#store.delete(KEY_PREFIX + streamKey);
    else await this.#store.set(KEY_PREFIX + streamKey, destinations);
  }
}
