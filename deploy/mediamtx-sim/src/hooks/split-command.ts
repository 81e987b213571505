import { MtxError } from "@mtx-fleet/plugin-api";

const SPLIT_CHARS = " \n\t";
const DOUBLE_ESCAPE_CHARS = '$`"\n\\';

function fail(what: string, cmd: string): never {
  throw new MtxError("MTX_INVALID_INPUT", `Unterminated ${what}`, { details: { command: cmd } });
}

/** Reads one word starting at `i`; returns it and the index after it. */
function splitWord(input: string, start: number): [string, number] {
  let word = "";
  let i = start;
  while (i < input.length) {
    const c = input[i] as string;
    if (SPLIT_CHARS.includes(c)) return [word, i + 1];
    i++;
    if (c === "\\") {
      if (i >= input.length) fail("backslash-escape", input);
      // A backslash-newline disappears entirely; any other escaped character is kept.
      if (input[i] !== "\n") word += input[i];
      i++;
    } else if (c === "'") {
      const end = input.indexOf("'", i);
      if (end < 0) fail("single-quoted string", input);
      word += input.slice(i, end);
      i = end + 1;
    } else if (c === '"') {
      [word, i] = readDouble(input, i, word);
    } else {
      word += c;
    }
  }
  return [word, i];
}

function readDouble(input: string, start: number, prefix: string): [string, number] {
  let word = prefix;
  let i = start;
  while (i < input.length) {
    const c = input[i] as string;
    i++;
    if (c === '"') return [word, i];
    if (c === "\\" && i < input.length && DOUBLE_ESCAPE_CHARS.includes(input[i] as string)) {
      // Like bash, only these escapes work inside double quotes; others keep the backslash.
      if (input[i] !== "\n") word += input[i];
      i++;
    } else {
      word += c;
    }
  }
  return fail("double-quoted string", input);
}

/**
 * Splits a hook command into arguments exactly like `github.com/kballard/go-shellquote`
 * `Split` (which MediaMTX uses): quotes and backslashes group and escape, nothing else is
 * special — no globbing, no `$()`, no operators. Throws `MTX_INVALID_INPUT` on an unterminated
 * quote or a trailing backslash.
 */
export function splitCommand(cmd: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < cmd.length) {
    const c = cmd[i] as string;
    if (SPLIT_CHARS.includes(c)) {
      i++;
      continue;
    }
    if (c === "\\" && i + 1 >= cmd.length) fail("backslash-escape", cmd);
    // A leading backslash-newline is skipped without starting a word.
    if (c === "\\" && cmd[i + 1] === "\n") {
      i += 2;
      continue;
    }
    const [word, next] = splitWord(cmd, i);
    words.push(word);
    i = next;
  }
  return words;
}
