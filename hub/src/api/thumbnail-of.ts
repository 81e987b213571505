import { MtxError } from "@mtx-fleet/plugin-api";
import { isoOf } from "./iso-of.ts";
import type { Thumbnail } from "./thumbnail-cache.ts";

/** Largest thumbnail the hub takes from an agent (a console tile is a few tens of KiB). */
export const MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The picture in an agent's `thumbnail` result (`{contentType, dataBase64, takenAt}`), or
 * MTX_PROBE_FAILED (502) when the agent sent something that is not one.
 */
export function thumbnailOf(result: Readonly<Record<string, unknown>>): Thumbnail {
  const { contentType = "image/jpeg", dataBase64, takenAt } = result;
  const fail = (why: string): never => {
    throw new MtxError("MTX_PROBE_FAILED", `the agent's thumbnail ${why}`, {
      details: { contentType: String(contentType).slice(0, 64) },
    });
  };
  if (typeof contentType !== "string" || !/^image\/[a-z0-9.+-]+$/.test(contentType)) fail("is not an image");
  if (typeof dataBase64 !== "string" || dataBase64 === "" || !BASE64.test(dataBase64))
    fail("has no base64 data");
  const data = Buffer.from(dataBase64 as string, "base64");
  if (data.length > MAX_THUMBNAIL_BYTES) fail(`is larger than ${MAX_THUMBNAIL_BYTES} bytes`);
  return { contentType: contentType as string, data, takenAt: isoOf(takenAt) };
}
