import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTempDir } from "@mtx-fleet/testkit";
import { describe, expect, it } from "vitest";
import { writeFileAtomically } from "./write-file-atomically.ts";

describe("writeFileAtomically", () => {
  it("replaces the file's bytes and leaves no temp file behind", async () => {
    await using dir = await createTempDir("mtx-atomic-");
    const file = join(dir.path, "cam.jpg");
    await writeFile(file, "old");
    await writeFileAtomically(file, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    expect({ bytes: [...(await readFile(file))], files: await readdir(dir.path) }).toEqual({
      bytes: [0xff, 0xd8, 0xff, 0xd9],
      files: ["cam.jpg"],
    });
  });

  it("keeps the old file and removes its temp file when the write fails", async () => {
    await using dir = await createTempDir("mtx-atomic-");
    const file = join(dir.path, "cam.jpg");
    await writeFile(file, "old");
    // Renaming a file over a directory fails (EISDIR): the old content must stay.
    await expect(writeFileAtomically(dir.path, "new")).rejects.toThrow();
    await expect(writeFileAtomically(join(dir.path, "missing-dir", "x.jpg"), "new")).rejects.toThrow();
    expect({ content: await readFile(file, "utf8"), files: await readdir(dir.path) }).toEqual({
      content: "old",
      files: ["cam.jpg"],
    });
  });
});
