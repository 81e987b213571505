import { createHash } from "node:crypto";
import type { Conf } from "../config/conf.ts";
import { IpNetwork } from "../config/ip-network.ts";
import { compileGoRegexp } from "../config/path-matcher.ts";

/** Outcome of an access check (MediaMTX `internal/auth`). */
export type AuthResult =
  | { readonly kind: "ok" }
  | { readonly kind: "noCredentials" }
  | { readonly kind: "denied" };

/** An access request of an HTTP client. */
export interface AuthRequest {
  readonly ip: string;
  readonly action: "api" | "metrics" | "pprof" | "playback" | "publish" | "read";
  readonly path?: string;
  readonly authorization: string | undefined;
  /** Credentials given outside an Authorization header (RTMP `user`/`pass` query parameters). */
  readonly credentials?: { readonly user: string; readonly pass: string };
  /** For the HTTP auth request: `rtmp`, `hls`, ...; the client's id and query. */
  readonly protocol?: string;
  readonly id?: string;
  readonly query?: string;
}

type Creds = { user: string; pass: string; token: string };

function credentials(header: string | undefined): Creds {
  const none = { user: "", pass: "", token: "" };
  if (header === undefined) return none;
  if (header.startsWith("Basic ")) {
    const text = Buffer.from(header.slice(6), "base64").toString("utf8");
    const i = text.indexOf(":");
    return i < 0 ? { ...none, user: text } : { user: text.slice(0, i), pass: text.slice(i + 1), token: "" };
  }
  if (header.startsWith("Bearer ")) {
    const value = header.slice(7);
    const i = value.indexOf(":");
    return i < 0
      ? { ...none, token: value }
      : { user: value.slice(0, i), pass: value.slice(i + 1), token: "" };
  }
  return none;
}

function credentialMatches(configured: string, given: string): boolean {
  if (configured.startsWith("sha256:")) {
    return createHash("sha256").update(given).digest("base64") === configured.slice(7);
  }
  if (configured.startsWith("argon2:")) return false; // not simulated
  return configured === given;
}

function pathMatches(permissionPath: string, path: string | undefined): boolean {
  if (permissionPath === "" || path === undefined) return true;
  if (permissionPath.startsWith("~")) {
    try {
      return compileGoRegexp(permissionPath.slice(1)).test(path);
    } catch {
      return false;
    }
  }
  return permissionPath === path;
}

/** Checks a request against `authInternalUsers` (authMethod `internal`). */
export function authenticate(conf: Conf, req: AuthRequest): AuthResult {
  const creds =
    req.credentials === undefined ? credentials(req.authorization) : { ...req.credentials, token: "" };
  const users = (conf.global.authInternalUsers ?? []) as Array<Record<string, unknown>>;
  const ip = req.ip.startsWith("::ffff:") ? req.ip.slice(7) : req.ip;
  for (const u of users) {
    const ips = (u.ips ?? []) as string[];
    if (ips.length > 0 && !ips.some((cidr) => IpNetwork.contains(cidr, ip))) continue;
    const perms = (u.permissions ?? []) as Array<Record<string, unknown>>;
    if (!perms.some((p) => p.action === req.action && pathMatches(String(p.path ?? ""), req.path))) continue;
    if (u.user !== "any") {
      if (!credentialMatches(String(u.user), creds.user)) continue;
      if (!credentialMatches(String(u.pass ?? ""), creds.pass)) continue;
    }
    return { kind: "ok" };
  }
  return creds.user === "" && creds.pass === "" && creds.token === ""
    ? { kind: "noCredentials" }
    : { kind: "denied" };
}
