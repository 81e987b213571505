import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { openSecretBox } from "./secret-box.ts";

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
});
