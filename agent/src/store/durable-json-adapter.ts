import { readdir, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { Adapter } from "lowdb";
import { type MinimalLogger, SILENT_LOGGER } from "./minimal-logger.ts";
import { errnoCode, storageError } from "./storage-error.ts";
import { TEMP_SUFFIX, writeFileDurably } from "./write-file-durably.ts";

/** What a file's content turned out to be. */
export type ParseResult<T> =
  | { readonly kind: "ok"; readonly value: T }
  | { readonly kind: "corrupt"; readonly reason: string }
  | { readonly kind: "unsupported"; readonly reason: string };

/** Options of `DurableJsonAdapter`. */
export interface DurableJsonAdapterOptions<T> {
  /** Checks the parsed JSON; "corrupt" falls back to the backup, "unsupported" fails at once. */
  readonly validate: (json: unknown) => ParseResult<T>;
  readonly logger?: MinimalLogger;
}

/**
 * A lowdb adapter for small JSON files that survive `kill -9` and power cuts:
 * - writes are atomic and durable (`writeFileDurably`) and keep the previous generation as
 *   `<file>.bak` (a hard link, so no bytes are copied);
 * - a file that does not parse or validate is moved aside to `<file>.corrupt` and the backup is
 *   used; with no good backup either, `read` fails with `MTX_INVALID_INPUT`.
 * Our own writes never leave a half file (rename is atomic), so corruption means something
 * outside: bit rot, a hand edit, a bad restore. One generation back is then the best recovery.
 */
export class DurableJsonAdapter<T> implements Adapter<T> {
  readonly file: string;
  /** True when the last `read` had to use `<file>.bak`. */
  recoveredFromBackup = false;
  readonly #validate: (json: unknown) => ParseResult<T>;
  readonly #logger: MinimalLogger;

  constructor(file: string, options: DurableJsonAdapterOptions<T>) {
    this.file = file;
    this.#validate = options.validate;
    this.#logger = options.logger ?? SILENT_LOGGER;
  }

  async read(): Promise<T | null> {
    await removeTempFiles(this.file);
    const main = await this.#load(this.file);
    if (main.kind === "ok") return main.value;
    if (main.kind === "unsupported") {
      throw new MtxError("MTX_INVALID_INPUT", `cannot read ${this.file}: ${main.reason}`, {
        details: { file: this.file, issues: [main.reason], damaged: false },
      });
    }
    const backup = await this.#load(`${this.file}.bak`);
    if (main.kind === "missing" && backup.kind === "missing") return null;
    if (backup.kind !== "ok") {
      const reasons = [reasonOf(this.file, main), reasonOf(`${this.file}.bak`, backup)];
      throw damagedFile(this.file, reasons.join("; "));
    }
    this.#logger.warn(
      { file: this.file, reason: reasonOf(this.file, main) },
      "store file is damaged; recovered the previous generation from the backup",
    );
    if (main.kind === "corrupt") await rename(this.file, `${this.file}.corrupt`);
    await writeFileDurably(this.file, serialise(backup.value));
    this.recoveredFromBackup = true;
    return backup.value;
  }

  async write(data: T): Promise<void> {
    try {
      await writeFileDurably(this.file, serialise(data), { keepBackup: true });
    } catch (e) {
      throw storageError(e, `cannot write ${this.file}`, { file: this.file });
    }
  }

  async #load(file: string): Promise<ParseResult<T> | { readonly kind: "missing" }> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if (errnoCode(e) === "ENOENT") return { kind: "missing" };
      throw storageError(e, `cannot read ${file}`, { file });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return { kind: "corrupt", reason: `not JSON (${(e as Error).message}; ${text.length} bytes)` };
    }
    return this.#validate(json);
  }
}

function serialise(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

function reasonOf(file: string, result: { readonly kind: string; readonly reason?: string }): string {
  return `${basename(file)}: ${result.reason ?? result.kind}`;
}

/** `details.damaged` lets callers that can start empty (the outbox state) tell this case apart. */
function damagedFile(file: string, reason: string): MtxError {
  return new MtxError(
    "MTX_INVALID_INPUT",
    `store file ${file} is damaged and has no good backup (${reason}); move it away to start with empty state`,
    { details: { file, issues: [reason], damaged: true } },
  );
}

/** Removes temp files a crash left behind next to `file` (they were never renamed into place). */
async function removeTempFiles(file: string): Promise<void> {
  const dir = dirname(file);
  const base = basename(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  const leftovers = names.filter(
    (name) =>
      name.endsWith(TEMP_SUFFIX) && (name.startsWith(`.${base}.`) || name === `${base}.bak${TEMP_SUFFIX}`),
  );
  await Promise.all(leftovers.map((name) => unlink(join(dir, name)).catch(() => {})));
}
