import { readFile } from "node:fs/promises";
import type { ChannelCredentials } from "@grpc/grpc-js";
import { credentials } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { LinkClientTls } from "./link-client-options.ts";

/** Channel credentials from PEM files (mutual TLS when cert and key are given), else plain text. */
export async function linkClientCredentials(tls: LinkClientTls | undefined): Promise<ChannelCredentials> {
  if (tls === undefined) return credentials.createInsecure();
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new MtxError("MTX_INVALID_INPUT", "link TLS needs both cert and key, or neither", {
      details: { issues: ["tls.cert and tls.key must be set together"] },
    });
  }
  const [ca, cert, key] = await Promise.all([
    readPem(tls.ca, "tls.ca"),
    readPem(tls.cert, "tls.cert"),
    readPem(tls.key, "tls.key"),
  ]);
  return credentials.createSsl(ca ?? null, key ?? null, cert ?? null);
}

async function readPem(path: string | undefined, field: string): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    throw new MtxError("MTX_INVALID_INPUT", `cannot read ${field} (${path})`, {
      details: { issues: [`${field} must be a readable PEM file`], path },
      cause: error,
    });
  }
}
