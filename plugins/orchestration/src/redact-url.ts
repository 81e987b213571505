const MASK = "***";

/** Schemes whose path after the application name is a stream key (a bearer secret). */
const KEYED_SCHEMES = new Set(["rtmp:", "rtmps:", "rtmpt:", "rtmpe:", "rtmpte:", "rtmpts:"]);

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i;

function redactUserinfo(prefix: string, userinfo: string): string {
  const colon = userinfo.indexOf(":");
  return colon === -1 ? `${prefix}${userinfo}@` : `${prefix}${userinfo.slice(0, colon)}:${MASK}@`;
}

function redactQuery(query: string): string {
  if (query === "") return "";
  const pairs = query
    .slice(1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      return eq === -1 ? MASK : `${pair.slice(0, eq)}=${MASK}`;
    });
  return `?${pairs.join("&")}`;
}

/**
 * A URL as it may appear in logs and API answers: the password of the user info, the RTMP stream
 * key (every path segment after the application) and query values become `***`:
 * `rtmp://user:pass@host/app/key?token=x` → `rtmp://user:***@host/app/***?token=***`.
 * Works on the text, not on a parsed URL, so it never reformats (or fails on) what it does not
 * recognise; text that is not a URL comes back unchanged.
 */
export function redactUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url);
  if (scheme === null) return url;
  let rest = url;
  let out = "";
  const userinfo = USERINFO.exec(rest);
  if (userinfo !== null) {
    out = redactUserinfo(userinfo[1]!, userinfo[2]!);
    rest = rest.slice(userinfo[0].length);
  } else {
    out = scheme[0];
    rest = rest.slice(scheme[0].length);
  }
  const hashAt = rest.indexOf("#");
  if (hashAt !== -1) rest = rest.slice(0, hashAt);
  const queryAt = rest.indexOf("?");
  const query = queryAt === -1 ? "" : rest.slice(queryAt);
  const hostAndPath = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const slash = hostAndPath.indexOf("/");
  const host = slash === -1 ? hostAndPath : hostAndPath.slice(0, slash);
  let path = slash === -1 ? "" : hostAndPath.slice(slash);
  if (KEYED_SCHEMES.has(scheme[1]!.toLowerCase())) {
    // `/app/key…`: the application stays readable, the key does not.
    const app = /^\/[^/]*/.exec(path)?.[0] ?? "";
    path = path.length > app.length ? `${app}/${MASK}` : path;
  }
  return `${out}${host}${path}${redactQuery(query)}`;
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;

/** True for a URL on this machine (`127.x`, `localhost`, `[::1]`): its paths are stream names. */
function isLocal(url: string): boolean {
  const host =
    /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(url)?.[1]?.toLowerCase() ?? "";
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * A redactor for free text (a worker's output lines, an argv for the log): every URL in the text
 * that is one of `secretUrls`, or an RTMP URL of another machine (its path holds a stream key),
 * is redacted with `redactUrl`; any other URL loses its password; every `secretTexts` value
 * becomes `***`. ffmpeg prints its input and output URLs (`Output #0, flv, to 'rtmp://…'`), so
 * the lines of a forwarder would otherwise carry the destination's stream key. Local URLs keep
 * their paths: `live/s1/in` is what an operator looks for.
 */
export function createRedactor(
  secretUrls: readonly string[],
  secretTexts: readonly string[] = [],
): (text: string) => string {
  const secrets = secretUrls.filter((u) => u !== "");
  // Longest first, so a secret that contains another is masked whole.
  const fragments = [...secrets.flatMap(secretFragments), ...secretTexts.filter((t) => t !== "")].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text.replace(URL_IN_TEXT, (found) =>
      secrets.some((secret) => found.startsWith(secret) || secret.startsWith(found)) ||
      (KEYED_SCHEMES.has(`${found.split(":")[0]?.toLowerCase()}:`) && !isLocal(found))
        ? redactUrl(found)
        : found.replace(USERINFO, (_all, prefix: string, info: string) => redactUserinfo(prefix, info)),
    );
    // Tools also print parts of a URL on their own (`key`, `user:pass`): mask those too.
    for (const fragment of fragments) out = out.replaceAll(fragment, MASK);
    return out;
  };
}

/** Parts of a secret URL that are secret on their own: the password and the stream key. */
function secretFragments(url: string): string[] {
  const fragments: string[] = [];
  const userinfo = USERINFO.exec(url);
  const password = userinfo?.[2]?.split(":").slice(1).join(":");
  if (password !== undefined && password.length >= 4) fragments.push(password);
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\/[^/?#]*(\/[^?#]*)?/i.exec(url);
  if (scheme !== null && KEYED_SCHEMES.has(scheme[1]!.toLowerCase())) {
    const key = (scheme[2] ?? "").split("/").slice(2).join("/");
    // Short keys would mask ordinary words in the output; real stream keys are long.
    if (key.length >= 8) fragments.push(key);
  }
  return fragments;
}
