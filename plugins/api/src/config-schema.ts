import type { Static, TSchema } from "typebox";
import { Compile } from "typebox/compile";
import Value from "typebox/value";
import { MtxError } from "./mtx-error.ts";

/** One problem found in a config value: where it is and what is wrong, in words. */
export interface ConfigIssue {
  /** Dotted path of the field (`thresholds.freezeSeconds`), `""` for the whole value. */
  readonly path: string;
  /** A sentence naming the field and the fix (`thresholds.freezeSeconds must be >= 1`). */
  readonly message: string;
}

interface RawError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message: string;
}

function dotted(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .join(".");
}

function describe(
  error: RawError,
  prefix: string,
  allowed: ReadonlyMap<string, readonly unknown[]>,
): ConfigIssue | undefined {
  const field = [prefix, dotted(error.instancePath)].filter((part) => part !== "").join(".");
  const subject = field === "" ? "the value" : field;
  switch (error.keyword) {
    case "additionalProperties": {
      const extra = (error.params.additionalProperties as readonly string[] | undefined) ?? [];
      const names = extra.map((name) => [field, name].filter((p) => p !== "").join("."));
      return {
        path: field,
        message: `${names.join(", ")}: unknown option (remove it or check its spelling)`,
      };
    }
    case "required": {
      const missing = (error.params.requiredProperties as readonly string[] | undefined) ?? [];
      return { path: field, message: `${subject} needs ${missing.join(", ")}` };
    }
    case "anyOf": {
      const values = allowed.get(error.instancePath);
      const list =
        values === undefined ? "the allowed values" : values.map((v) => JSON.stringify(v)).join(", ");
      return { path: field, message: `${subject} must be one of ${list}` };
    }
    // Each anyOf branch reports separately; the anyOf line above says it once.
    case "const":
    case "boolean":
      return undefined;
    default:
      return { path: field, message: `${subject} ${error.message}` };
  }
}

/** Turns schema errors into issues that name the field and the fix, without duplicates. */
export function configIssues(schema: TSchema, value: unknown, prefix = ""): readonly ConfigIssue[] {
  const errors = [...(Value.Errors(schema, value) as Iterable<RawError>)];
  // Literal unions report one `const` error per branch: collect them to list the choices.
  const allowed = new Map<string, unknown[]>();
  for (const error of errors) {
    if (error.keyword !== "const") continue;
    const list = allowed.get(error.instancePath) ?? [];
    list.push(error.params.allowedValue);
    allowed.set(error.instancePath, list);
  }
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const issue = describe(error, prefix, allowed);
    if (issue === undefined || seen.has(issue.message)) continue;
    seen.add(issue.message);
    issues.push(issue);
  }
  return issues;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Validates `input` against `schema` once, at the edge: fills defaults, then either returns a
 * deeply frozen typed value or throws `MTX_INVALID_INPUT` with `details.issues`.
 * `prefix` is prepended to field paths (e.g. `plugins.probe.config`).
 */
export function parseConfig<S extends TSchema>(schema: S, input: unknown, prefix = ""): Readonly<Static<S>> {
  const value = Value.Default(schema, structuredClone(input ?? {}));
  const check = Compile(schema);
  if (check.Check(value)) return deepFreeze(value as Static<S>);
  const issues = configIssues(schema, value, prefix);
  const where = prefix === "" ? "config" : prefix;
  throw new MtxError("MTX_INVALID_INPUT", `invalid ${where}: ${issues.map((i) => i.message).join("; ")}`, {
    details: { issues },
  });
}

/** The JSON Schema of a config schema (for the console and docs): a plain JSON copy. */
export function configJsonSchema(schema: TSchema): Readonly<Record<string, unknown>> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}
