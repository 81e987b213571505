const REDACTED = "<redacted>";

function redact(value: unknown): unknown {
  return typeof value === "string" && value !== "" ? REDACTED : value;
}

/** v1.20.1 GET redaction (trap 4): only user passwords and deprecated publish/read passwords. */
export const RedactConf = {
  global(global: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out = { ...global };
    if (Array.isArray(out.authInternalUsers)) {
      out.authInternalUsers = (out.authInternalUsers as Array<Record<string, unknown>>).map((u) => ({
        ...u,
        pass: redact(u.pass),
      }));
    }
    return out;
  },
  path(path: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out = { ...path };
    for (const key of ["publishPass", "readPass"]) if (key in out) out[key] = redact(out[key]);
    return out;
  },
};
