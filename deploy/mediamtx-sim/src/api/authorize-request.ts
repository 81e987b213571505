import type { Conf } from "../config/conf.ts";
import { type AuthRequest, type AuthResult, authenticate } from "./authenticate.ts";

const HTTP_AUTH_TIMEOUT_MS = 5_000;

function excluded(list: unknown, req: AuthRequest): boolean {
  return (Array.isArray(list) ? (list as Array<Record<string, unknown>>) : []).some(
    (p) => p.action === req.action && (p.path === undefined || p.path === "" || p.path === req.path),
  );
}

function credentials(header: string | undefined): { user: string; password: string; token: string } {
  if (header?.startsWith("Basic ") === true) {
    const text = Buffer.from(header.slice(6), "base64").toString("utf8");
    const i = text.indexOf(":");
    return { user: i < 0 ? text : text.slice(0, i), password: i < 0 ? "" : text.slice(i + 1), token: "" };
  }
  if (header?.startsWith("Bearer ") === true) return { user: "", password: "", token: header.slice(7) };
  return { user: "", password: "", token: "" };
}

/**
 * Authorises an HTTP request with the configured `authMethod`: `internal` (authInternalUsers),
 * `http` (POST to authHTTPAddress, any 2xx allows; authHTTPExclude skips), `jwt` (not
 * simulated: only authJWTExclude passes).
 */
export async function authorizeRequest(conf: Conf, req: AuthRequest): Promise<AuthResult> {
  const g = conf.global;
  const creds =
    req.credentials === undefined
      ? credentials(req.authorization)
      : { user: req.credentials.user, password: req.credentials.pass, token: "" };
  const none = creds.user === "" && creds.password === "" && creds.token === "";
  if (g.authMethod === "http") {
    if (excluded(g.authHTTPExclude, req)) return { kind: "ok" };
    try {
      const res = await fetch(String(g.authHTTPAddress), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          ip: req.ip.replace(/^::ffff:/, ""),
          user: creds.user,
          password: creds.password,
          token: creds.token,
          action: req.action,
          path: req.path ?? "",
          protocol: req.protocol ?? "",
          id: req.id ?? null,
          query: req.query ?? "",
        }),
        signal: AbortSignal.timeout(HTTP_AUTH_TIMEOUT_MS),
      });
      if (res.status >= 200 && res.status < 300) return { kind: "ok" };
    } catch {
      // unreachable auth server: refused like MediaMTX
    }
    return none ? { kind: "noCredentials" } : { kind: "denied" };
  }
  if (g.authMethod === "jwt") {
    if (excluded(g.authJWTExclude, req)) return { kind: "ok" };
    return none ? { kind: "noCredentials" } : { kind: "denied" };
  }
  return authenticate(conf, req);
}
