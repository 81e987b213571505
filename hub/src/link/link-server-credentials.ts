import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { ServerCredentials } from "@grpc/grpc-js";
import type { Logger } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";

/** TLS of the link server: paths of PEM files. */
export interface LinkServerTls {
  /** Server certificate chain (PEM). */
  readonly cert: string;
  /** Private key of `cert` (PEM). */
  readonly key: string;
  /** CA bundle (PEM) that agents' client certificates must chain to; set it for mutual TLS. */
  readonly ca?: string;
}

/**
 * Server credentials from PEM files, or insecure ones when `tls` is not set. Plain text is meant
 * for loopback (tests, a hub and agent on one box): binding anything else without TLS is
 * logged as a warning, since node credentials would cross the network in clear.
 */
export async function linkServerCredentials(
  host: string,
  tls: LinkServerTls | undefined,
  logger: Logger,
): Promise<ServerCredentials> {
  if (tls === undefined) {
    if (!isLoopback(host)) {
      logger.warn(
        { host },
        "link server listens on a non-loopback address without TLS: node credentials travel in clear",
      );
    }
    return ServerCredentials.createInsecure();
  }
  const [cert, key, ca] = await Promise.all([
    readPem(tls.cert, "tls.cert"),
    readPem(tls.key, "tls.key"),
    tls.ca === undefined ? undefined : readPem(tls.ca, "tls.ca"),
  ]);
  return ServerCredentials.createSsl(ca ?? null, [{ cert_chain: cert, private_key: key }], ca !== undefined);
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

async function readPem(path: string, field: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new MtxError("MTX_INVALID_INPUT", `cannot read ${field} (${path})`, {
      details: { issues: [`${field} must be a readable PEM file`], path },
      cause: error,
    });
  }
}
