import { MtxError } from "@mtx-fleet/plugin-api";
import type { RestartPolicy } from "./backoff-delay.ts";
import { type ArgTemplate, checkPlaceholders, parseArgTemplate } from "./command-template.ts";
import type { ForwarderConfig, OrchestrationConfig, RuleConfig } from "./orchestration-config.ts";
import { compilePathPattern, type PathPattern } from "./path-pattern.ts";

/** Placeholders every template may use besides the captures of its `match`. */
export const BUILTIN_PLACEHOLDERS = ["path", "query", "rtmpUrl", "rtspUrl"] as const;
const FORWARDER_PLACEHOLDERS = ["input", "destination"] as const;

/** A rule or forwarder, ready to run: patterns and templates parsed and checked. */
export interface CompiledEntry {
  readonly kind: "worker" | "forwarder";
  readonly name: string;
  readonly pattern: PathPattern;
  readonly command: readonly ArgTemplate[];
  readonly env: ReadonlyArray<readonly [string, ArgTemplate]>;
  readonly graceMs: number;
  readonly restart: RestartPolicy;
  readonly stopSignal: NodeJS.Signals;
  readonly stopTimeoutMs: number;
  /** Forwarders: destinations of every matching stream (templates) and the local input URL. */
  readonly destinations: readonly ArgTemplate[];
  readonly input: ArgTemplate | null;
  /** Changes whenever the entry's config does: its workers are then restarted. */
  readonly fingerprint: string;
}

/** Everything the orchestrator runs, compiled from the config. */
export interface CompiledPlan {
  readonly entries: readonly CompiledEntry[];
  readonly rtmpUrl: string;
  readonly rtspUrl: string;
  readonly inheritEnv: readonly string[];
  readonly reconcileFromSnapshot: boolean;
}

function compileEntry(
  kind: CompiledEntry["kind"],
  config: RuleConfig | ForwarderConfig,
  where: string,
): CompiledEntry {
  try {
    const pattern = compilePathPattern(config.match);
    const known = [...pattern.captures, ...BUILTIN_PLACEHOLDERS];
    const command = config.command.map(parseArgTemplate);
    const env = Object.entries(config.env).map(([key, value]) => [key, parseArgTemplate(value)] as const);
    const forwarder = "destinations" in config ? config : null;
    const destinations = forwarder?.destinations.map(parseArgTemplate) ?? [];
    const input = forwarder === null ? null : parseArgTemplate(forwarder.input);
    checkPlaceholders(
      `${where}.command`,
      command,
      kind === "forwarder" ? [...known, ...FORWARDER_PLACEHOLDERS] : known,
    );
    checkPlaceholders(
      `${where}.env`,
      env.map(([, t]) => t),
      known,
    );
    checkPlaceholders(`${where}.destinations`, destinations, known);
    if (input !== null) checkPlaceholders(`${where}.input`, [input], known);
    if (kind === "forwarder" && !command.some((t) => t.names.includes("destination"))) {
      throw new MtxError("MTX_INVALID_INPUT", `${where}.command must use {destination}`);
    }
    return {
      kind,
      name: config.name,
      pattern,
      command,
      env,
      graceMs: config.graceMs,
      restart: config.restart,
      stopSignal: config.stopSignal,
      stopTimeoutMs: config.stopTimeoutMs,
      destinations,
      input,
      fingerprint: JSON.stringify(config),
    };
  } catch (error) {
    const cause = MtxError.from(error, "MTX_INVALID_INPUT");
    const message = cause.message.startsWith(where) ? cause.message : `${where}: ${cause.message}`;
    throw new MtxError("MTX_INVALID_INPUT", message, {
      details: { issues: [{ path: where, message }] },
      cause,
    });
  }
}

function checkUnique(names: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new MtxError("MTX_INVALID_INPUT", `${where}: the name '${name}' is used twice`);
    seen.add(name);
  }
}

/**
 * Compiles the (schema-validated) config: patterns, templates, and the checks the schema cannot
 * express (unique names, placeholders that exist). Throws `MTX_INVALID_INPUT` naming the field.
 */
export function compilePlan(
  config: OrchestrationConfig,
  prefix = "plugins.orchestration.config",
): CompiledPlan {
  checkUnique(
    config.rules.map((r) => r.name),
    `${prefix}.rules`,
  );
  checkUnique(
    config.forwarders.map((f) => f.name),
    `${prefix}.forwarders`,
  );
  return {
    entries: [
      ...config.rules.map((rule, i) => compileEntry("worker", rule, `${prefix}.rules.${i}`)),
      ...config.forwarders.map((f, i) => compileEntry("forwarder", f, `${prefix}.forwarders.${i}`)),
    ],
    rtmpUrl: config.mediamtx.rtmpUrl,
    rtspUrl: config.mediamtx.rtspUrl,
    inheritEnv: config.inheritEnv,
    reconcileFromSnapshot: config.reconcileFromSnapshot,
  };
}
