import { Ajv, type ValidateFunction } from "ajv";
import type { Static, TSchema } from "typebox";
import { MtxError } from "./mtx-error.ts";

// ajv reports every error at once (allErrors) and fills `default`s wherever a subschema is
// evaluated, including values of records; TypeBox schemas are plain JSON Schema.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

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
      const name = [field, String(error.params.additionalProperty)].filter((p) => p !== "").join(".");
      return { path: field, message: `${name}: unknown option (remove it or check its spelling)` };
    }
    case "required": {
      return { path: field, message: `${subject} needs ${String(error.params.missingProperty)}` };
    }
    case "anyOf": {
      const values = allowed.get(error.instancePath);
      const list =
        values === undefined ? "the allowed values" : values.map((v) => JSON.stringify(v)).join(", ");
      return { path: field, message: `${subject} must be one of ${list}` };
    }
    // Each branch of a literal union reports separately; the anyOf line says it once.
    case "const":
      return allowed.has(`${error.instancePath}#anyOf`)
        ? undefined
        : { path: field, message: `${subject} must be ${JSON.stringify(error.params.allowedValue)}` };
    case "boolean":
      return undefined;
    default:
      return { path: field, message: `${subject} ${error.message}` };
  }
}

/** Turns schema errors into issues that name the field and the fix, without duplicates. */
function configIssues(errors: readonly RawError[], prefix: string): readonly ConfigIssue[] {
  // Literal unions report one `const` error per branch: collect them to list the choices.
  const allowed = new Map<string, unknown[]>();
  for (const error of errors) {
    if (error.keyword === "anyOf") allowed.set(`${error.instancePath}#anyOf`, []);
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
  const value: unknown = structuredClone(input ?? {});
  const validate = validatorFor(schema);
  if (validate(value)) return deepFreeze(value as Static<S>);
  const issues = configIssues((validate.errors ?? []) as RawError[], prefix);
  const where = prefix === "" ? "config" : prefix;
  throw new MtxError("MTX_INVALID_INPUT", `invalid ${where}: ${issues.map((i) => i.message).join("; ")}`, {
    details: { issues },
  });
}

/** The JSON Schema of a config schema (for the console and docs): a plain JSON copy. */
export function configJsonSchema(schema: TSchema): Readonly<Record<string, unknown>> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}
