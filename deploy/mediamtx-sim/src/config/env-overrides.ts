import type { Field, FieldEntry } from "./conf-schema.ts";

function envValue(f: Field, text: string): unknown {
  switch (f.kind) {
    case "bool":
      return ["yes", "true"].includes(text.toLowerCase());
    case "int":
    case "float":
      return Number(text);
    case "ipList":
    case "array":
      return text === "" ? [] : text.split(",");
    default:
      return text;
  }
}

function overridesFor(
  fields: Readonly<Record<string, FieldEntry>>,
  prefix: string,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(fields)) {
    if (
      entry.field.kind === "object" ||
      (entry.field.kind === "array" && entry.field.items.kind === "object")
    )
      continue;
    const text = env[`${prefix}${key.toUpperCase()}`];
    if (text !== undefined) out[key] = envValue(entry.field, text);
  }
  return out;
}

/**
 * MediaMTX's `MTX_*` environment overrides, applied at every load of the file: global keys
 * (`MTX_LOGLEVEL`), `MTX_PATHDEFAULTS_<KEY>` and `MTX_PATHS_<NAME>_<KEY>` for configured paths.
 * Slices are comma-separated; lists of objects (authInternalUsers) are not simulated.
 */
export function envOverrides(
  doc: Record<string, unknown>,
  schema: { global: Readonly<Record<string, FieldEntry>>; path: Readonly<Record<string, FieldEntry>> },
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc, ...overridesFor(schema.global, "MTX_", env) };
  const defaults = overridesFor(schema.path, "MTX_PATHDEFAULTS_", env);
  if (Object.keys(defaults).length > 0)
    out.pathDefaults = { ...((doc.pathDefaults as object | null) ?? {}), ...defaults };
  const paths = doc.paths as Record<string, unknown> | null | undefined;
  if (paths !== null && paths !== undefined && typeof paths === "object") {
    const next: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(paths)) {
      const o = overridesFor(schema.path, `MTX_PATHS_${name.toUpperCase()}_`, env);
      next[name] = Object.keys(o).length > 0 ? { ...((value as object | null) ?? {}), ...o } : value;
    }
    out.paths = next;
  }
  return out;
}
