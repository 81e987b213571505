import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type ConfigIssue, MtxError, parseConfig } from "@mtx-fleet/plugin-api";
import { parseDocument } from "yaml";
import { applyHubEnvOverrides } from "./env-overrides.ts";
import { type HubConfig, HubConfigSchema } from "./hub-config-schema.ts";

/** A validated hub config plus where it came from. Relative paths are already absolute. */
export interface LoadedHubConfig {
  readonly file: string;
  readonly config: Readonly<HubConfig>;
}

function invalid(file: string, message: string, issues: readonly ConfigIssue[], extra = {}): MtxError {
  return new MtxError("MTX_INVALID_INPUT", `${file}: ${message}`, { details: { file, issues, ...extra } });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === "ENOENT"
        ? "no such file (create it, or pass --config with the right path)"
        : `cannot read (${code ?? String(error)})`;
    throw invalid(file, message, []);
  }
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first !== undefined) {
    const [line, column] = first.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [0, 0];
    const reason = first.message.split("\n")[0] ?? "syntax error";
    throw new MtxError("MTX_INVALID_INPUT", `${file}:${line}:${column}: invalid YAML: ${reason}`, {
      details: { file, line, column, issues: [{ path: "", message: reason }] },
    });
  }
  return document.toJS() ?? {};
}

/** Checks between fields that a schema cannot express. */
function crossFieldIssues(config: Readonly<HubConfig>): ConfigIssue[] {
  const { intervalMs, staleAfterMs, offlineAfterMs } = config.heartbeat;
  const issues: ConfigIssue[] = [];
  if (staleAfterMs <= intervalMs) {
    issues.push({
      path: "heartbeat.staleAfterMs",
      message: `heartbeat.staleAfterMs (${staleAfterMs}) must be greater than heartbeat.intervalMs (${intervalMs}); about 3 intervals is usual`,
    });
  }
  if (offlineAfterMs <= staleAfterMs) {
    issues.push({
      path: "heartbeat.offlineAfterMs",
      message: `heartbeat.offlineAfterMs (${offlineAfterMs}) must be greater than heartbeat.staleAfterMs (${staleAfterMs})`,
    });
  }
  if (config.store?.kind === "nats-kv" && config.nats === undefined) {
    issues.push({
      path: "store.kind",
      message: "store.kind nats-kv needs a nats section (nats.servers), or use store.kind json",
    });
  }
  return issues;
}

/**
 * Reads, overrides from the `MTX_HUB_*` environment and validates the hub config. Every
 * problem is reported at once, as `MTX_INVALID_INPUT` with `details.issues` naming field and fix.
 */
export async function loadHubConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedHubConfig> {
  const raw = parseYaml(await readText(file), file);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw invalid(file, "the top level must be a mapping (key: value)", []);
  }
  const withEnv = applyHubEnvOverrides(raw as Record<string, unknown>, env);
  if (withEnv.version === undefined) {
    throw invalid(file, "add 'version: 1' at the top (the config format version)", [
      { path: "version", message: "version is required: add 'version: 1'" },
    ]);
  }
  let config: Readonly<HubConfig>;
  try {
    config = parseConfig(HubConfigSchema, withEnv);
  } catch (error) {
    const mtx = MtxError.from(error, "MTX_INVALID_INPUT");
    throw new MtxError("MTX_INVALID_INPUT", `${file}: ${mtx.message.replace(/^invalid config: /, "")}`, {
      details: { file, ...mtx.details },
    });
  }
  const issues = crossFieldIssues(config);
  if (issues.length > 0) throw invalid(file, issues.map((i) => i.message).join("; "), issues);
  const baseDir = dirname(resolve(file));
  const tls = config.link.tls;
  return {
    file,
    config: Object.freeze({
      ...config,
      dataDir: resolve(baseDir, config.dataDir),
      link: Object.freeze({
        ...config.link,
        ...(tls === undefined
          ? {}
          : {
              tls: Object.freeze({
                cert: resolve(baseDir, tls.cert),
                key: resolve(baseDir, tls.key),
                ...(tls.ca === undefined ? {} : { ca: resolve(baseDir, tls.ca) }),
              }),
            }),
      }),
    }),
  };
}
