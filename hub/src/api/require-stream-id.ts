import { MtxError } from "@mtx-fleet/plugin-api";
import { parseStreamId } from "../fleet/stream-id-for.ts";

/**
 * `id` when it is a stream id, else 400 MTX_INVALID_INPUT: a malformed id is the caller's
 * mistake, told apart from a well-formed id of no stream (404).
 */
export function requireStreamId(id: string): string {
  if (parseStreamId(id) !== undefined) return id;
  throw new MtxError("MTX_INVALID_INPUT", `'${id.slice(0, 64)}' is not a stream id`, {
    details: {
      issues: [
        { path: "params.id", message: "params.id is not a stream id (take one from GET /api/v1/streams)" },
      ],
    },
  });
}
