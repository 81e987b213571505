import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const PROTO_DIR = fileURLToPath(new URL("..", import.meta.url));
const ROOT_BIN = join(PROTO_DIR, "..", "node_modules", ".bin");
// buf runs protoc-gen-es (a node script) from PATH: use this node and the root's local bins.
const ENV = { ...process.env, PATH: [ROOT_BIN, dirname(process.execPath), process.env.PATH].join(delimiter) };

const run = promisify(execFile);
const buf = (...args: string[]) => run(join(ROOT_BIN, "buf"), args, { cwd: PROTO_DIR, env: ENV });

async function readTree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const contents = await Promise.all(
    files.map(async (file) => [file.slice(dir.length), await readFile(file, "utf8")]),
  );
  return Object.fromEntries(contents.sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

describe("the protobuf schema", () => {
  const temps: string[] = [];
  afterEach(async () => {
    await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("passes buf lint", async () => {
    const { stdout, stderr } = await buf("lint");
    expect({ stdout, stderr }).toEqual({ stdout: "", stderr: "" });
  });

  it("matches the committed generated code in src/gen byte for byte", async () => {
    const out = await mkdtemp(join(tmpdir(), "mtx-proto-gen-"));
    temps.push(out);
    await buf("generate", "--output", out);
    const fresh = await readTree(join(out, "src", "gen"));
    expect(Object.keys(fresh).length).toBeGreaterThan(0);
    // A difference means src/gen is stale: run `npm run gen -w @mtx-fleet/proto`.
    expect(await readTree(join(PROTO_DIR, "src", "gen"))).toEqual(fresh);
  });
});
