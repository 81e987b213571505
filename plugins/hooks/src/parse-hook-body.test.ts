import { MEDIAMTX_HOOKS, MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { MAX_VALUE_BYTES } from "./hook-defaults.ts";
import { parseHookBody } from "./parse-hook-body.ts";

const NULL_FIELDS = {
  path: null,
  query: null,
  sourceType: null,
  sourceId: null,
  readerType: null,
  readerId: null,
  connType: null,
  connId: null,
  segmentPath: null,
  segmentDuration: null,
};

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MtxError);
    return (((error as MtxError).details?.issues as { message: string }[] | undefined) ?? []).map(
      (i) => i.message,
    );
  }
  throw new Error("expected it to throw");
}

describe("parseHookBody", () => {
  it("takes the seed contract's {path, query, sourceType, sourceId}", () => {
    const body = { path: "cam/1", query: "a=1", sourceType: "rtspSession", sourceId: "s-1" };
    expect(parseHookBody("ready", body)).toEqual({
      hook: "ready",
      id: undefined,
      occurredAt: undefined,
      fields: { ...NULL_FIELDS, ...body },
      env: {},
      envBase64: {},
    });
  });

  it("fills fields from env and decodes envBase64 lossily (the bytes stay in envBase64)", () => {
    const parsed = parseHookBody("read", {
      id: "0b8a3c8e-4f1e-4a57-9d7e-1f0c2b3a4d5e",
      occurredAt: 1_700_000_000_000,
      env: { MTX_PATH: "cam/1", MTX_READER_TYPE: "hlsSession", MTX_SEGMENT_DURATION: "3600.04" },
      envBase64: { MTX_QUERY: Buffer.from([0x61, 0xff]).toString("base64") },
    });
    expect(parsed.fields).toEqual({
      ...NULL_FIELDS,
      path: "cam/1",
      readerType: "hlsSession",
      segmentDuration: "3600.04",
      query: "a\uFFFD",
    });
    expect(parsed.envBase64).toEqual({ MTX_QUERY: "Yf8=" });
  });

  it("lets a 64 KB query through and refuses one over the kernel's limit for a variable", () => {
    const big = "q".repeat(64 * 1024);
    expect(parseHookBody("ready", { query: big, env: { MTX_QUERY: big } }).fields.query).toBe(big);
    expect(issues(() => parseHookBody("ready", { query: "q".repeat(MAX_VALUE_BYTES + 1) }))).toEqual([
      `body.query must NOT have more than ${MAX_VALUE_BYTES} characters`,
    ]);
  });

  it("names every problem: unknown fields, types, bad names and base64, a wrong hook, a name given twice", () => {
    expect(
      issues(() =>
        parseHookBody("ready", {
          extra: 1,
          path: 7,
          env: { __proto__x: "a", A: "1" },
          envBase64: { A: "!!" },
          hook: "nope",
        }),
      ),
    ).toEqual([
      "body.extra: unknown option (remove it or check its spelling)",
      `body.hook must be one of ${MEDIAMTX_HOOKS.map((h) => JSON.stringify(h)).join(", ")}`,
      "body.path must be string,null",
      "body.env.__proto__x: unknown option (remove it or check its spelling)",
      'body.envBase64.A must match pattern "^[A-Za-z0-9+/]*={0,2}$"',
    ]);
    expect(issues(() => parseHookBody("ready", { hook: "read" }))).toEqual([
      "body.hook is 'read' but the route is 'ready'",
    ]);
    expect(issues(() => parseHookBody("ready", { env: { A: "1" }, envBase64: { A: "MQ==" } }))).toEqual([
      "A is in both env and envBase64",
    ]);
  });
});
