import { MEDIAMTX_HOOKS, type MediaMtxHook, MtxError, parseConfig, Type } from "@mtx-fleet/plugin-api";
import { MAX_VALUE_BYTES } from "./hook-defaults.ts";
import { HOOK_FIELD_VARS, type HookField } from "./hook-wire.ts";

// Limits in characters: a string never has fewer bytes than characters, so they bound memory
// at the kernel's own limit for one variable (MAX_VALUE_BYTES); 64 KB queries pass.
// One JSON Schema type list instead of a union: one clear issue per bad value.
const value = Type.Unsafe<string | null>({ type: ["string", "null"], maxLength: MAX_VALUE_BYTES });
// No leading underscore: keeps `__proto__` and friends out of every map built from these names.
const NAME = "^[A-Za-z][A-Za-z0-9_]{0,127}$";
const MAX_VARIABLES = 256;

const fields = Object.fromEntries(
  (Object.keys(HOOK_FIELD_VARS) as HookField[]).map((field) => [field, Type.Optional(value)]),
) as { [F in HookField]: Type.TOptional<typeof value> };

/** The body of `POST /v1/mediamtx/events/<hook>` (and the `event` of a spool file). */
export const HookBodySchema = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$" })),
    hook: Type.Optional(Type.Union(MEDIAMTX_HOOKS.map((hook) => Type.Literal(hook)))),
    occurredAt: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 8.64e15 })),
    ...fields,
    env: Type.Optional(
      Type.Record(Type.String({ pattern: NAME }), Type.String({ maxLength: MAX_VALUE_BYTES }), {
        maxProperties: MAX_VARIABLES,
        additionalProperties: false,
      }),
    ),
    envBase64: Type.Optional(
      Type.Record(
        Type.String({ pattern: NAME }),
        Type.String({ maxLength: Math.ceil(MAX_VALUE_BYTES / 3) * 4, pattern: "^[A-Za-z0-9+/]*={0,2}$" }),
        { maxProperties: MAX_VARIABLES, additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A hook as the receiver (or the spool) delivered it, validated and frozen. */
export interface ParsedHook {
  readonly hook: MediaMtxHook;
  /** The wrapper's id; undefined from a client that sent none (the outbox then assigns one). */
  readonly id: string | undefined;
  readonly occurredAt: number | undefined;
  /** Each field as sent, else from its variable (`env`, or `envBase64` decoded lossily), else null. */
  readonly fields: { readonly [F in HookField]: string | null };
  readonly env: Readonly<Record<string, string>>;
  readonly envBase64: Readonly<Record<string, string>>;
}

/**
 * Validates a hook body for route `hook` at the edge: types, sizes, names, base64, the hook
 * matching the route and no variable given twice. Throws `MTX_INVALID_INPUT` with
 * `details.issues` naming each problem.
 */
export function parseHookBody(hook: MediaMtxHook, body: unknown): ParsedHook {
  const parsed = parseConfig(HookBodySchema, body, "body");
  const issues: { path: string; message: string }[] = [];
  if (parsed.hook !== undefined && parsed.hook !== hook) {
    issues.push({ path: "body.hook", message: `body.hook is '${parsed.hook}' but the route is '${hook}'` });
  }
  const env = parsed.env ?? {};
  const envBase64 = parsed.envBase64 ?? {};
  for (const name of Object.keys(envBase64)) {
    if (Object.hasOwn(env, name)) {
      issues.push({ path: `body.envBase64.${name}`, message: `${name} is in both env and envBase64` });
    }
  }
  if (issues.length > 0) {
    throw new MtxError("MTX_INVALID_INPUT", `invalid body: ${issues.map((i) => i.message).join("; ")}`, {
      details: { issues },
    });
  }
  const derived = {} as { [F in HookField]: string | null };
  for (const [field, variable] of Object.entries(HOOK_FIELD_VARS) as [HookField, string][]) {
    const given = parsed[field];
    const encoded = envBase64[variable];
    derived[field] =
      given !== undefined
        ? given
        : (env[variable] ?? (encoded === undefined ? null : Buffer.from(encoded, "base64").toString("utf8")));
  }
  return Object.freeze({
    hook,
    id: parsed.id,
    occurredAt: parsed.occurredAt,
    fields: Object.freeze(derived),
    env,
    envBase64,
  });
}
