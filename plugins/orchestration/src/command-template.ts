import { MtxError } from "@mtx-fleet/plugin-api";

type Part =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "var"; readonly name: string };

/** One argument (or env value) of a command template, parsed once at config time. */
export interface ArgTemplate {
  readonly source: string;
  /** Placeholders it uses (`streamId`, `query`…). */
  readonly names: readonly string[];
  /** True when the template itself starts with `-` (it is meant to be an option). */
  readonly isOption: boolean;
  render(values: Readonly<Record<string, string>>): string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parse(source: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    // `{{` and `}}` are literal braces, so a template can still contain JSON or ffmpeg filters.
    if ((ch === "{" || ch === "}") && source[i + 1] === ch) {
      text += ch;
      i++;
      continue;
    }
    if (ch === "}") throw invalidTemplate(source, "has a '}' without '{' (write '}}' for a literal brace)");
    if (ch !== "{") {
      text += ch;
      continue;
    }
    const close = source.indexOf("}", i);
    if (close === -1) throw invalidTemplate(source, "has a '{' without '}' (write '{{' for a literal brace)");
    const name = source.slice(i + 1, close);
    if (!NAME.test(name)) throw invalidTemplate(source, `has an invalid placeholder '{${name}}'`);
    if (text !== "") parts.push({ kind: "text", text });
    text = "";
    parts.push({ kind: "var", name });
    i = close;
  }
  if (text !== "") parts.push({ kind: "text", text });
  return parts;
}

function invalidTemplate(source: string, problem: string): MtxError {
  return new MtxError("MTX_INVALID_INPUT", `template '${source}' ${problem}`, {
    details: { template: source },
  });
}

/**
 * Parses `rtmp://127.0.0.1:1935/live/{streamId}/out`. Rendering substitutes each placeholder
 * once, in one pass: a value is never scanned again, so a value that itself contains `{x}` stays
 * as it is, and since the result is one argv element (no shell) nothing in it is interpreted.
 */
export function parseArgTemplate(source: string): ArgTemplate {
  const parts = parse(source);
  const names = [...new Set(parts.flatMap((p) => (p.kind === "var" ? [p.name] : [])))];
  return {
    source,
    names,
    isOption: source.startsWith("-"),
    render(values) {
      let out = "";
      for (const part of parts) {
        if (part.kind === "text") {
          out += part.text;
          continue;
        }
        const value = values[part.name];
        if (value === undefined) {
          throw new MtxError("MTX_INTERNAL", `no value for placeholder '{${part.name}}'`, {
            details: { template: source, placeholder: part.name },
          });
        }
        out += value;
      }
      return out;
    },
  };
}

/** Fails with the names a template uses that `known` does not provide. */
export function checkPlaceholders(
  where: string,
  templates: readonly ArgTemplate[],
  known: readonly string[],
): void {
  const unknown = [...new Set(templates.flatMap((t) => t.names.filter((n) => !known.includes(n))))];
  if (unknown.length === 0) return;
  throw new MtxError(
    "MTX_INVALID_INPUT",
    `${where} uses unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `{${n}}`).join(", ")} (known: ${known.map((n) => `{${n}}`).join(", ")})`,
    { details: { unknown, known } },
  );
}

/**
 * Renders an argv. Refuses (`MTX_WORKER_FAILED`) values that would change how the command is
 * read rather than what it reads: a NUL byte (cannot be passed to exec), and an argument that
 * starts with `-` only because of a substituted value (a hostile query `-f` or `-y` would become
 * an option of ffmpeg: argument injection, the non-shell cousin of shell injection).
 */
export function renderArgv(
  templates: readonly ArgTemplate[],
  values: Readonly<Record<string, string>>,
): string[] {
  return templates.map((template, index) => {
    const arg = template.render(values);
    if (arg.includes("\0")) throw refused(template, index, "contains a NUL byte");
    if (index > 0 && arg.startsWith("-") && !template.isOption) {
      throw refused(template, index, "would start with '-' and be read as an option");
    }
    return arg;
  });
}

function refused(template: ArgTemplate, index: number, problem: string): MtxError {
  return new MtxError("MTX_WORKER_FAILED", `argument ${index} ('${template.source}') ${problem}`, {
    details: { template: template.source, index },
  });
}
