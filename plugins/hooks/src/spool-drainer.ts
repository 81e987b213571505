import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Logger, MtxError } from "@mtx-fleet/plugin-api";
import { isHookName, SPOOL_FILE_PATTERN } from "./hook-wire.ts";
import { type ParsedHook, parseHookBody } from "./parse-hook-body.ts";

/** Where files that cannot be replayed go (inside the spool directory), kept for the operator. */
export const CORRUPT_DIR = "corrupt";
/** A temp file this old was left by a wrapper that died mid-write. */
const ABANDONED_TEMP_MS = 60_000;

/** What one drain did. */
export interface DrainResult {
  readonly replayed: number;
  readonly corrupt: number;
  /** Event files still in the directory (0 unless storing failed part-way). */
  readonly left: number;
}

export interface SpoolDrainerOptions {
  readonly dir: string;
  /** Stores one spooled hook; rejecting stops this drain (the file stays for the next one). */
  readonly accept: (parsed: ParsedHook, file: string) => Promise<void>;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * Replays the wrapper's spool: every event file, oldest first, through the intake; a file is
 * deleted only once the journal stored its event (a crash in between replays it, and the id
 * deduplicates). A file that cannot be read as an event is moved to `corrupt/`, logged and
 * counted, never silently dropped.
 */
export class SpoolDrainer {
  readonly #options: SpoolDrainerOptions;
  #corruptTotal = 0;

  constructor(options: SpoolDrainerOptions) {
    this.#options = options;
  }

  /** Files moved aside since the plugin started. */
  get corruptTotal(): number {
    return this.#corruptTotal;
  }

  async drain(signal: AbortSignal): Promise<DrainResult> {
    const { dir } = this.#options;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { replayed: 0, corrupt: 0, left: 0 };
      throw error;
    }
    let corrupt = 0;
    for (const name of names.filter((n) => n.startsWith(".") && n.endsWith(".tmp"))) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info !== undefined && this.#options.now() - info.mtimeMs > ABANDONED_TEMP_MS) {
        await this.#quarantine(name, "a temp file the wrapper never finished");
        corrupt += 1;
      }
    }
    const events = names.filter((n) => SPOOL_FILE_PATTERN.test(n)).sort();
    let replayed = 0;
    for (const name of events) {
      if (signal.aborted) break;
      const file = join(dir, name);
      let parsed: ParsedHook;
      try {
        parsed = parseSpoolFile(await readFile(file, "utf8"));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // drained concurrently
        await this.#quarantine(name, MtxError.from(error).message);
        corrupt += 1;
        continue;
      }
      await this.#options.accept(parsed, name);
      await rm(file, { force: true });
      replayed += 1;
    }
    return { replayed, corrupt, left: events.length - replayed - corrupt };
  }

  async #quarantine(name: string, reason: string): Promise<void> {
    const target = join(this.#options.dir, CORRUPT_DIR);
    await mkdir(target, { recursive: true });
    await rename(join(this.#options.dir, name), join(target, name.replace(/^\./, "")));
    this.#corruptTotal += 1;
    this.#options.logger.error(
      { file: join(target, name), reason },
      "spooled hook cannot be replayed; moved aside",
    );
  }
}

/** A spool file's event, validated like a request body; throws MTX_INVALID_INPUT. */
export function parseSpoolFile(text: string): ParsedHook {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MtxError("MTX_INVALID_INPUT", `not JSON: ${(error as Error).message}`);
  }
  const file = value as { version?: unknown; event?: { hook?: unknown; id?: unknown; occurredAt?: unknown } };
  if (typeof value !== "object" || value === null || file.version !== 1 || typeof file.event !== "object") {
    throw new MtxError("MTX_INVALID_INPUT", "not a version 1 spool file");
  }
  const { hook, id, occurredAt } = file.event ?? {};
  if (typeof hook !== "string" || typeof id !== "string" || typeof occurredAt !== "number") {
    throw new MtxError("MTX_INVALID_INPUT", "the spooled event lacks hook, id or occurredAt");
  }
  if (!isHookName(hook)) throw new MtxError("MTX_INVALID_INPUT", `unknown hook '${hook}'`);
  return parseHookBody(hook, file.event);
}
