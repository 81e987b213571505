function isShellSpecial(c: string | undefined): boolean {
  return c !== undefined && "*#$@!?-0123456789".includes(c);
}

function isAlphaNum(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9_]$/.test(c);
}

/** Go's `getShellName`: the variable name after `$` and how many characters it spans. */
function shellName(s: string): [string, number] {
  if (s[0] === "{") {
    if (s.length > 2 && isShellSpecial(s[1]) && s[2] === "}") return [s.slice(1, 2), 3];
    const close = s.indexOf("}", 1);
    if (close === 1) return ["", 2]; // "${}": bad syntax, eaten
    if (close < 0) return ["", 1]; // "${" without "}": bad syntax, eaten
    return [s.slice(1, close), close + 1];
  }
  if (isShellSpecial(s[0])) return [s.slice(0, 1), 1];
  let i = 0;
  while (isAlphaNum(s[i])) i++;
  return [s.slice(0, i), i];
}

/**
 * Replaces `$VAR` and `${VAR}` like Go's `os.Expand` with MediaMTX's mapping: hook variables
 * first, then the process environment, unknown names become "". A `$` not followed by a name
 * (`$(`, `$ `, a trailing `$`) stays as it is.
 */
export function expandVariables(
  arg: string,
  vars: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
): string {
  let out = "";
  let last = 0;
  for (let j = 0; j < arg.length; j++) {
    if (arg[j] !== "$" || j + 1 >= arg.length) continue;
    out += arg.slice(last, j);
    const [name, width] = shellName(arg.slice(j + 1));
    if (name === "" && width === 0) out += "$";
    else if (name !== "") out += Object.hasOwn(vars, name) ? (vars[name] ?? "") : (env[name] ?? "");
    j += width;
    last = j + 1;
  }
  return last === 0 ? arg : out + arg.slice(last);
}
