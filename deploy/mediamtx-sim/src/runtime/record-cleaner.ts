import { rm, rmdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { recordConfigs } from "../api/recording-routes.ts";
import type { Conf } from "../config/conf.ts";
import { GoDuration } from "../config/go-duration.ts";
import { mergedPathConf } from "../config/merged-path-conf.ts";
import type { Logger } from "../log/create-logger.ts";
import { commonPath, configRegExp, findPathConf, recordExtension, scanSegments } from "../recording/index.ts";

const MAX_INTERVAL_MS = 30 * 60_000;

/**
 * MediaMTX's record cleaner: at startup and every min(30 min, smallest recordDeleteAfter / 2)
 * deletes segments whose start is older than recordDeleteAfter, by age only, and only files
 * that decode with the current recordPath of a configured path. Exists only if some path has
 * recordDeleteAfter ≠ 0.
 */
export class RecordCleaner {
  readonly #cwd: string;
  readonly #conf: () => Conf;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #intervalMs = 0;

  constructor(options: { cwd: string; conf: () => Conf; log: Logger }) {
    this.#cwd = options.cwd;
    this.#conf = options.conf;
    this.#log = options.log;
  }

  /** (Re)starts the cleaner for the current config; runs at once when the interval changes. */
  sync(): void {
    const conf = this.#conf();
    const ages = [...conf.paths.keys()]
      .map((n) => GoDuration.toMs(mergedPathConf(conf, n)?.recordDeleteAfter))
      .filter((ms) => ms > 0);
    const interval = ages.length === 0 ? 0 : Math.min(MAX_INTERVAL_MS, Math.min(...ages) / 2);
    if (interval === this.#intervalMs) return;
    this.stop();
    this.#intervalMs = interval;
    if (interval === 0) return;
    void this.run();
    this.#timer = setInterval(() => void this.run(), interval);
    this.#timer.unref();
  }

  async run(): Promise<void> {
    const conf = this.#conf();
    const configs = recordConfigs(conf);
    const now = Date.now();
    for (const config of configs) {
      const maxAgeMs = GoDuration.toMs(mergedPathConf(conf, config.name)?.recordDeleteAfter);
      if (maxAgeMs === 0) continue;
      const regex = configRegExp(config.name) !== undefined;
      const pattern =
        (regex ? config.recordPath : config.recordPath.replaceAll("%path", config.name)) +
        recordExtension(config.format);
      const base = resolve(this.#cwd, commonPath(pattern));
      for (const seg of await scanSegments({ cwd: this.#cwd, pattern }).catch(() => [])) {
        if (regex && this.#owner(configs, seg.path) !== config.name) continue;
        if (seg.startMicros / 1000 >= now - maxAgeMs) continue;
        try {
          await rm(seg.file);
          this.#log.debug({ file: seg.file }, "removed old recording segment");
          await this.#removeEmptyDirs(dirname(seg.file), base);
        } catch (e) {
          this.#log.warn({ file: seg.file, err: String(e) }, "cannot remove recording segment");
        }
      }
    }
  }

  #owner(configs: ReturnType<typeof recordConfigs>, pathName: string): string | undefined {
    try {
      return findPathConf(configs, pathName).name;
    } catch {
      return undefined;
    }
  }

  async #removeEmptyDirs(dir: string, base: string): Promise<void> {
    let current = dir;
    while (current.startsWith(base) && current !== base) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = dirname(current);
    }
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#intervalMs = 0;
  }
}
