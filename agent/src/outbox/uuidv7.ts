import { randomFillSync } from "node:crypto";

/**
 * Returns a generator of UUIDv7 strings (RFC 9562): 48 bits of epoch ms, then a 12-bit counter
 * (method 1) so ids made in the same millisecond still sort in creation order, then 62 random
 * bits. If the clock steps back, the last millisecond is reused, so ids never go backwards.
 */
export function createUuidV7Generator(now: () => number = Date.now): () => string {
  const bytes = new Uint8Array(16);
  let lastMs = -1;
  let counter = 0;
  return () => {
    randomFillSync(bytes);
    const ms = Math.floor(now());
    if (ms > lastMs) {
      lastMs = ms;
      // Start low in the counter space so the same millisecond has room for many ids.
      counter = bytes[6]! & 0x3ff;
    } else if (++counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    bytes[0] = Math.floor(lastMs / 2 ** 40) & 0xff;
    bytes[1] = Math.floor(lastMs / 2 ** 32) & 0xff;
    bytes[2] = (lastMs >>> 24) & 0xff;
    bytes[3] = (lastMs >>> 16) & 0xff;
    bytes[4] = (lastMs >>> 8) & 0xff;
    bytes[5] = lastMs & 0xff;
    bytes[6] = 0x70 | (counter >>> 8);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    const hex = Buffer.from(bytes).toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
