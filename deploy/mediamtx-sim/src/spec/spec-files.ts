import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { MtxVersion } from "./mtx-version.ts";

/** A loosely typed OpenAPI 3.0 document. */
export type OpenApiDoc = {
  components: { schemas: Record<string, Record<string, unknown>> };
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
};

const SPEC_DIR = fileURLToPath(new URL("../../spec/", import.meta.url));
const cache = new Map<string, unknown>();

function load(file: string, yamlVersion: "1.1" | "1.2"): unknown {
  const key = `${file}@${yamlVersion}`;
  if (!cache.has(key)) cache.set(key, parse(readFileSync(SPEC_DIR + file, "utf8"), { version: yamlVersion }));
  return cache.get(key);
}

/** The reference files of one MediaMTX version, parsed once per process. */
export const SpecFiles = {
  openApi(version: MtxVersion): OpenApiDoc {
    return load(version === "v1.9.3" ? "openapi-v1.9.3.yaml" : "openapi.yaml", "1.2") as OpenApiDoc;
  },
  playbackOpenApi(): OpenApiDoc {
    return load("playback.openapi.yaml", "1.2") as OpenApiDoc;
  },
  /** The default mediamtx.yml, parsed like MediaMTX does (YAML 1.1: `yes`/`no` are booleans). */
  defaultYml(version: MtxVersion): Record<string, unknown> {
    return load(version === "v1.9.3" ? "mediamtx-v1.9.3.yml" : "mediamtx.yml", "1.1") as Record<
      string,
      unknown
    >;
  },
  dir: SPEC_DIR,
};
