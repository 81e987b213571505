import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MtxError } from "@mtx-fleet/plugin-api";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { openSecretBox, type SharedSecretSource } from "./secret-box.ts";

/** Stands in for the KV store's shared values: create-only, like the bucket. */
function sharedValues(): SharedSecretSource {
  const values = new Map<string, string>();
  return {
    get: async (name) => values.get(name),
    createIfAbsent: async (name, value) => {
      if (!values.has(name)) values.set(name, value);
      return values.get(name) as string;
    },
  };
}

describe("openSecretBox", () => {
  it("opens what it sealed after a reopen, and never seals to the clear text", async () => {
    await using dir = await createTempDir("mtx-secret-");
    const sealed = (await openSecretBox(dir.path)).seal("s3cret");
    const reopened = await openSecretBox(dir.path);
    expect([sealed.includes("s3cret"), reopened.open(sealed), sealed === reopened.seal("s3cret")]).toEqual([
      false,
      "s3cret",
      false,
    ]);
  });

  it("refuses a sealed value that was tampered with", async () => {
    await using dir = await createTempDir("mtx-secret-");
    const box = await openSecretBox(dir.path);
    const [version, iv, tag, body] = box.seal("s3cret").split(".");
    const flipped = `${(body ?? "").startsWith("A") ? "B" : "A"}${(body ?? "").slice(1)}`;
    expect(() => box.open([version, iv, tag, flipped].join("."))).toThrow();
  });

  it("lets every replica open what another sealed with the shared key, and refuses a different local key", async () => {
    await using a = await createTempDir("mtx-secret-a-");
    await using b = await createTempDir("mtx-secret-b-");
    await using c = await createTempDir("mtx-secret-c-");
    const shared = sharedValues();
    const sealed = (await openSecretBox(a.path, { shared })).seal("s3cret");
    const opened = (await openSecretBox(b.path, { shared })).open(sealed);
    await writeFile(join(c.path, "secret.key"), `${randomBytes(32).toString("base64url")}\n`);
    const refused = await openSecretBox(c.path, { shared }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect([opened, MtxError.is(refused, "MTX_INVALID_INPUT") && refused.message]).toEqual([
      "s3cret",
      `${join(c.path, "secret.key")} differs from the secret key the hub replicas share: remove it (the shared key is used) or give every replica the same file`,
    ]);
  });

  it("offers a replica's own key file to the others when none is shared yet", async () => {
    await using a = await createTempDir("mtx-secret-a-");
    await using b = await createTempDir("mtx-secret-b-");
    const sealed = (await openSecretBox(a.path)).seal("s3cret");
    const shared = sharedValues();
    expect([
      (await openSecretBox(a.path, { shared })).open(sealed),
      (await openSecretBox(b.path, { shared })).open(sealed),
    ]).toEqual(["s3cret", "s3cret"]);
  });
});
