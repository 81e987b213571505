const KEEP_FORMATS = new Set(["uuid", "date-time"]);
const DROP_KEYS = new Set(["deprecated", "description", "example", "nullable", "format", "discriminator"]);

/**
 * Converts an OpenAPI 3.0 schema into a strict JSON schema: `nullable` becomes `anyOf` with
 * null, `oneOf` becomes `anyOf` (the codec-props variants overlap), objects reject unknown keys.
 */
export function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (typeof node !== "object" || node === null) return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (DROP_KEYS.has(k)) continue;
    if (k === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, openApiToJsonSchema(s)]),
      );
    } else if (k === "oneOf") {
      out.anyOf = openApiToJsonSchema(v);
    } else {
      out[k] = openApiToJsonSchema(v);
    }
  }
  if (typeof src.format === "string" && KEEP_FORMATS.has(src.format)) out.format = src.format;
  if (src.properties !== undefined && src.additionalProperties === undefined)
    out.additionalProperties = false;
  // `type: object` beside `allOf`/`$ref` must not forbid the referenced properties.
  if (out.allOf !== undefined || out.$ref !== undefined) delete out.additionalProperties;
  if (src.nullable === true) {
    const { $ref, allOf, ...rest } = out;
    const inner = $ref !== undefined ? { $ref } : allOf !== undefined ? { allOf } : rest;
    return { anyOf: [inner, { type: "null" }] };
  }
  return out;
}
