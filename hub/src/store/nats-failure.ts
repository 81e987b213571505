import { MtxError } from "@mtx-fleet/plugin-api";

/**
 * A failed NATS call as the hub reports it: MtxErrors pass through, anything else (timeout,
 * no responders, a lost connection, a JetStream error) becomes MTX_NATS_UNAVAILABLE naming
 * what was being done, with the original as `cause`.
 */
export function natsFailure(error: unknown, doing: string): MtxError {
  if (error instanceof MtxError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new MtxError("MTX_NATS_UNAVAILABLE", `${doing} failed: ${message}`, { cause: error });
}
