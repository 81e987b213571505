import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const specDir = join(here, "../../../deploy/mediamtx-sim/spec");
const entry = createRequire(import.meta.url).resolve("openapi-typescript");
const cli = join(
  entry.slice(0, entry.lastIndexOf("openapi-typescript") + "openapi-typescript".length),
  "bin/cli.js",
);

const GENERATED = [
  { spec: "openapi.yaml", out: "gen/openapi.ts" },
  { spec: "openapi-v1.9.3.yaml", out: "gen/openapi-v1.9.3.ts" },
] as const;

describe("generated OpenAPI types", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it.each(GENERATED)(
    "src/$out is what openapi-typescript makes of spec/$spec (run `npm run gen`)",
    async ({ spec, out }) => {
      dir = await mkdtemp(join(tmpdir(), "mtx-gen-"));
      const fresh = join(dir, "out.ts");
      await promisify(execFile)(process.execPath, [cli, join(specDir, spec), "-o", fresh]);
      expect(await readFile(fresh, "utf8")).toBe(await readFile(join(here, out), "utf8"));
    },
  );
});
