import { ConfError } from "../config/conf-error.ts";

/** Parses a request body like Go's encoding/json decoder, with its error messages. */
export function goJsonParse(text: string): unknown {
  if (text.trim() === "") throw new ConfError("EOF");
  try {
    return JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    const first = trimmed[0] ?? "";
    if (!/[[{"\-0-9tfn]/.test(first))
      throw new ConfError(`invalid character '${first}' looking for beginning of value`);
    const literal = ["true", "false", "null"].find((l) => l[0] === first);
    if (literal !== undefined) {
      for (let i = 1; i < Math.min(literal.length, trimmed.length); i++) {
        if (trimmed[i] !== literal[i]) {
          throw new ConfError(
            `invalid character '${trimmed[i]}' in literal ${literal} (expecting '${literal[i]}')`,
          );
        }
      }
    }
    throw new ConfError(
      /[}\]"\d]$/.test(trimmed) ? "invalid character after top-level value" : "unexpected EOF",
    );
  }
}
