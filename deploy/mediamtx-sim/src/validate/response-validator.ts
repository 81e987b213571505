import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { ObservedResponse } from "../api/response-observer.ts";
import type { Logger } from "../log/create-logger.ts";
import type { MtxVersion } from "../spec/mtx-version.ts";
import { type OpenApiDoc, SpecFiles } from "../spec/spec-files.ts";
import { openApiToJsonSchema } from "./openapi-to-json-schema.ts";

/** A response that does not match the OpenAPI file of the mimicked version. */
export interface Violation {
  readonly server: "api" | "playback";
  readonly method: string;
  readonly url: string;
  readonly op: string;
  readonly status: number;
  readonly errors: readonly string[];
  readonly body: string;
}

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
const MAX_BODY_KEPT = 2_000;

/** Validates API and playback responses with ajv (`--validate-responses`). */
export class ResponseValidator {
  readonly #ajv = new Ajv({ strict: false, allErrors: true });
  readonly #docs: Record<"api" | "playback", OpenApiDoc>;
  readonly #compiled = new Map<string, ValidateFunction | null>();
  readonly #violations: Violation[] = [];
  readonly #undocumented: Array<{ server: string; method: string; url: string; status: number }> = [];
  readonly #log: Logger;

  constructor(version: MtxVersion, log: Logger) {
    this.#log = log;
    addFormats(this.#ajv);
    this.#docs = { api: SpecFiles.openApi(version), playback: SpecFiles.playbackOpenApi() };
    for (const [id, doc] of Object.entries(this.#docs)) {
      this.#ajv.addSchema({ components: openApiToJsonSchema(doc.components) }, id);
    }
  }

  violations(): readonly Violation[] {
    return this.#violations;
  }

  undocumented(): readonly unknown[] {
    return this.#undocumented;
  }

  readonly observe = (r: ObservedResponse): void => {
    if (r.op === undefined) {
      if (r.status !== 404 && r.status !== 401) this.#undocumented.push(r);
      return;
    }
    const responses = this.#docs[r.server].paths[r.op]?.[r.method.toLowerCase()]?.responses as
      | Responses
      | undefined;
    const spec = responses?.[String(r.status)];
    if (spec === undefined) {
      this.#undocumented.push({ server: r.server, method: r.method, url: r.url, status: r.status });
      return;
    }
    const schema = spec.content?.["application/json"]?.schema;
    const fail = (errors: string[]): void => {
      const v = {
        server: r.server,
        method: r.method,
        url: r.url,
        op: r.op ?? "",
        status: r.status,
        errors,
        body: r.body.slice(0, MAX_BODY_KEPT),
      };
      this.#violations.push(v);
      this.#log.error({ violation: v }, "response violates the OpenAPI file");
    };
    if (schema === undefined) {
      if (r.body !== "") fail(["the spec documents no body for this status"]);
      return;
    }
    if (!r.contentType.startsWith("application/json")) {
      fail([`content type '${r.contentType}' is not JSON`]);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(r.body);
    } catch {
      fail(["body is not JSON"]);
      return;
    }
    const validate = this.#compile(r.server, schema);
    if (validate !== null && !validate(value)) {
      fail(
        (validate.errors ?? []).map(
          (e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
        ),
      );
    }
  };

  #compile(server: "api" | "playback", schema: unknown): ValidateFunction | null {
    const ref = (schema as { $ref?: string }).$ref;
    const key = `${server}:${ref ?? JSON.stringify(schema)}`;
    if (!this.#compiled.has(key)) {
      const target = ref !== undefined ? { $ref: `${server}${ref}` } : openApiToJsonSchema(schema);
      this.#compiled.set(key, this.#ajv.compile(target as object));
    }
    return this.#compiled.get(key) ?? null;
  }
}
