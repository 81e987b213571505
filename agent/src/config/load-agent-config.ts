import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import { MtxError, parseConfig } from "@mtx-fleet/plugin-api";
import { parseDocument } from "yaml";
import { type AgentConfig, AgentConfigSchema } from "./agent-config-schema.ts";
import { applyEnvOverrides } from "./env-overrides.ts";

/** A validated config plus where it came from. */
export interface LoadedAgentConfig {
  readonly file: string;
  /** Directory relative plugin paths are resolved against. */
  readonly baseDir: string;
  readonly config: Readonly<AgentConfig> & { readonly node: { readonly name: string } };
}

/** Parses YAML text, naming the line and column of a syntax error. */
function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first !== undefined) {
    const [line, column] = first.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [0, 0];
    throw new MtxError(
      "MTX_INVALID_INPUT",
      `${file}:${line}:${column}: invalid YAML: ${first.message.split("\n")[0]}`,
      {
        details: { file, line, column, issues: [{ path: "", message: first.message.split("\n")[0] }] },
      },
    );
  }
  return document.toJS() ?? {};
}

/**
 * Reads, overrides from the environment and validates the agent config. Every problem is
 * reported at once, as `MTX_INVALID_INPUT` with `details.issues` naming field and fix.
 */
export async function loadAgentConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedAgentConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MtxError(
      "MTX_INVALID_INPUT",
      code === "ENOENT"
        ? `${file}: no such file (create it, or pass --config with the right path)`
        : `${file}: cannot read (${code ?? String(error)})`,
      { cause: error, details: { file } },
    );
  }
  const raw = parseYaml(text, file);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new MtxError("MTX_INVALID_INPUT", `${file}: the top level must be a mapping (key: value)`, {
      details: { file },
    });
  }
  const withEnv = applyEnvOverrides(raw as Record<string, unknown>, env);
  if (withEnv.version === undefined) {
    throw new MtxError(
      "MTX_INVALID_INPUT",
      `${file}: add 'version: 1' at the top (the config format version)`,
      {
        details: { file, issues: [{ path: "version", message: "version is required: add 'version: 1'" }] },
      },
    );
  }
  let config: Readonly<AgentConfig>;
  try {
    config = parseConfig(AgentConfigSchema, withEnv);
  } catch (error) {
    const mtx = MtxError.from(error, "MTX_INVALID_INPUT");
    throw new MtxError("MTX_INVALID_INPUT", `${file}: ${mtx.message.replace(/^invalid config: /, "")}`, {
      details: { file, ...mtx.details },
    });
  }
  const baseDir = dirname(resolve(file));
  return {
    file,
    baseDir,
    config: Object.freeze({
      ...config,
      dataDir: resolve(baseDir, config.dataDir),
      node: Object.freeze({ ...config.node, name: config.node.name ?? hostname() }),
    }),
  };
}
