import { isModern } from "../spec/mtx-version.ts";
import type { Conf } from "./conf.ts";
import { ConfError } from "./conf-error.ts";
import { GoDuration } from "./go-duration.ts";
import { mergedPathConf } from "./merged-path-conf.ts";
import { compileGoRegexp, isRegexConfName } from "./path-matcher.ts";

const VALID_CHARS = /^[A-Za-z0-9_\-./]+$/;
const VALID_CHARS_V193 = /^[A-Za-z0-9_\-./~]+$/;
const SOURCE_SCHEMES = [
  "rtsp://",
  "rtsps://",
  "rtmp://",
  "rtmps://",
  "http://",
  "https://",
  "udp://",
  "udp+mpegts://",
  "unix+mpegts://",
  "udp+rtp://",
  "srt://",
  "whep://",
  "wheps://",
  "moq://",
  "moqs://",
];

/** Validates a whole config like MediaMTX's `Conf.Validate`; throws ConfError with its message. */
export function validateConf(conf: Conf): void {
  const names = [...conf.paths.keys()].sort();
  const aliases = names.filter((n) => n === "all" || n === "all_others" || n === "~^.*$");
  if (aliases.length > 1) throw new ConfError("all_others, all and '~^.*$' are aliases");
  for (const name of names) validatePath(conf, name);
  validateGlobal(conf);
}

function validateGlobal(conf: Conf): void {
  const users = conf.global.authInternalUsers;
  if (Array.isArray(users)) {
    for (const u of users as Array<Record<string, unknown>>) {
      if (u.user === "any" && typeof u.pass === "string" && u.pass !== "") {
        throw new ConfError("using a password with 'any' user is not supported");
      }
    }
  }
}

function checkName(conf: Conf, name: string): void {
  if (name === "all" || name === "all_others") return;
  if (name.startsWith("~")) {
    try {
      compileGoRegexp(name.slice(1));
    } catch {
      throw new ConfError(`invalid regular expression: ${name.slice(1)}`);
    }
    return;
  }
  const fail = (why: string): ConfError => new ConfError(`invalid path name '${name}': ${why}`);
  if (name === "") throw fail("cannot be empty");
  if (name.startsWith("/")) throw fail("can't begin with a slash");
  if (name.endsWith("/")) throw fail("can't end with a slash");
  const modern = isModern(conf.version);
  if (!(modern ? VALID_CHARS : VALID_CHARS_V193).test(name)) {
    throw fail("can contain only alphanumeric characters, underscore, dot, minus, slash");
  }
  if (modern && name.split("/").some((s) => s === "." || s === "..")) {
    throw fail("can't contain dot path segments");
  }
}

function validatePath(conf: Conf, name: string): void {
  checkName(conf, name);
  const p = mergedPathConf(conf, name);
  if (p === undefined) return;
  const regex = isRegexConfName(name);
  const source = String(p.source);
  const isStatic = source !== "publisher" && source !== "redirect";
  validateSource(source);
  if (source === "publisher" && p.sourceOnDemand === true) {
    throw new ConfError("'sourceOnDemand' is useless when source is 'publisher'");
  }
  if (regex && isStatic && p.sourceOnDemand !== true) {
    throw new ConfError(
      "a path with a regular expression (or path 'all_others') and a static source must have 'sourceOnDemand' set to true",
    );
  }
  if (source === "redirect" && p.sourceRedirect === "") throw new ConfError("source redirect must be filled");
  if (source !== "redirect" && typeof p.sourceRedirect === "string" && p.sourceRedirect !== "") {
    throw new ConfError("'sourceRedirect' is useless when source is not 'redirect'");
  }
  if (source !== "publisher" && (p.runOnDemand !== "" || p.runOnUnDemand !== "")) {
    throw new ConfError("'runOnDemand' and 'runOnUnDemand' can be used only when source is 'publisher'");
  }
  if (regex && p.runOnInit !== "") {
    throw new ConfError(
      "a path with a regular expression (or path 'all_others') does not support option 'runOnInit'; use another path",
    );
  }
  if (regex && p.alwaysAvailable === true) {
    throw new ConfError(
      "'alwaysAvailable' cannot be used in a path with a regular expression (or path 'all_others')",
    );
  }
  for (const key of ["srtPublishPassphrase", "srtReadPassphrase"]) {
    const v = p[key];
    if (typeof v === "string" && v !== "" && (v.length < 10 || v.length > 79)) {
      throw new ConfError(`invalid '${key}': must be between 10 and 79 characters`);
    }
  }
  validateRecord(conf, p);
}

function validateSource(source: string): void {
  if (source === "publisher" || source === "redirect" || source === "rpiCamera") return;
  const scheme = SOURCE_SCHEMES.find((s) => source.startsWith(s));
  if (scheme === undefined) throw new ConfError(`invalid source: '${source}'`);
  let url: URL;
  try {
    url = new URL(source.replace(/^[a-z+]+:\/\//, "http://"));
  } catch {
    throw new ConfError(`'${source}' is not a valid URL`);
  }
  if ((url.username === "") !== (url.password === "")) {
    throw new ConfError("username and password must be both provided");
  }
  if (scheme === "udp+mpegts://" && !/:\d+$/.test(source.slice(scheme.length).split("?")[0] ?? "")) {
    throw new ConfError(`'${source}' is missing the port`);
  }
}

function validateRecord(conf: Conf, p: Record<string, unknown>): void {
  const recordPath = String(p.recordPath);
  if (!recordPath.includes("%path")) throw new ConfError("'recordPath' must contain %path");
  const hasAll = ["%Y", "%m", "%d", "%H", "%M", "%S"].every((t) => recordPath.includes(t));
  if (!recordPath.includes("%s") && !hasAll) {
    throw new ConfError("'recordPath' must contain either %s or %Y %m %d %H %M %S");
  }
  if (conf.global.playback === true && !recordPath.includes("%f")) {
    throw new ConfError("'recordPath' must contain %f");
  }
  const segMs = GoDuration.toMs(p.recordSegmentDuration);
  if (segMs > 86_400_000) throw new ConfError("maximum segment duration is 1 day");
  const delMs = GoDuration.toMs(p.recordDeleteAfter);
  if (delMs !== 0 && delMs < segMs) {
    throw new ConfError("'recordDeleteAfter' cannot be lower than 'recordSegmentDuration'");
  }
}
