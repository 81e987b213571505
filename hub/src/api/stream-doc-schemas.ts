import { STREAM_VERDICTS } from "@mtx-fleet/plugin-api";
import { ENVIRONMENTS } from "../store/hub-records.ts";
import { STREAM_AVAILABILITIES } from "./api-schemas.ts";

// Documentation only (OpenAPI 3.0 component schemas): responses are not filtered through
// them, so a field added to a view shows up before it is documented, never the other way.

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const time = (description?: string) => ({
  type: "string",
  format: "date-time",
  nullable: true,
  ...(description === undefined ? {} : { description }),
});
const verdict = (description: string) => ({ type: "string", enum: [...STREAM_VERDICTS], description });
// In OpenAPI 3.0 siblings of a $ref are ignored: a nullable reference goes through allOf.
const nullableRef = (name: string, description: string) => ({
  allOf: [ref(name)],
  nullable: true,
  description,
});
const anyObject = (description: string) => ({ type: "object", additionalProperties: true, description });

const StreamHealth = {
  type: "object",
  description: "The agent's verdict of a stream with the reasons and values it rests on",
  required: ["verdict", "reasons", "values", "checkedAt", "since"],
  properties: {
    verdict: verdict("healthy, degraded, unhealthy or unknown"),
    reasons: {
      type: "array",
      description: "Why it is not healthy (empty when healthy)",
      items: {
        type: "object",
        required: ["code", "severity", "message"],
        properties: {
          code: {
            type: "string",
            description:
              "Stable snake_case code: unavailable, stalled, black, frozen, silent, no_audio, fps_drop…",
          },
          severity: verdict("The verdict this reason alone gives"),
          message: { type: "string" },
        },
      },
    },
    values: anyObject("Latest measured values by name (fps, width, bitrateBps, videoCodec…)"),
    checkedAt: time("When the measurement was taken"),
    since: time("Since when the verdict has been this one"),
  },
};

const Stream = {
  type: "object",
  properties: {
    id: { type: "string", description: "Stable id: base64url of <node id>/<path>" },
    nodeId: { type: "string" },
    nodeName: { type: "string" },
    environment: { type: "string", enum: [...ENVIRONMENTS] },
    pathName: { type: "string" },
    confName: { type: "string" },
    status: verdict(
      "health.verdict while the node is online; unknown when it is not, or no health was reported",
    ),
    availability: {
      type: "string",
      enum: [...STREAM_AVAILABILITIES],
      description: "Has a publisher; unknown when the node is not online (never shown as off)",
    },
    available: { type: "boolean", description: "As last reported (see availability)" },
    health: nullableRef("StreamHealth", "null while none was reported"),
    sourceType: { type: "string" },
    tracks: { type: "array", items: { type: "string" } },
    readers: { type: "integer", description: "Viewers (the agent's own probe reads are not counted)" },
    inboundBytes: { type: "number" },
    outboundBytes: { type: "number" },
    inboundBytesPerSecond: { type: "number" },
    outboundBytesPerSecond: { type: "number" },
    availableSince: time(),
    updatedAt: { type: "string", format: "date-time" },
  },
};

const StreamPage = {
  type: "object",
  properties: {
    itemCount: { type: "integer" },
    pageCount: { type: "integer" },
    items: { type: "array", items: ref("Stream") },
  },
};

const ProbeResult = {
  type: "object",
  properties: {
    streamId: { type: "string" },
    nodeId: { type: "string" },
    pathName: { type: "string" },
    status: verdict("The stream's status once the result is recorded"),
    health: nullableRef("StreamHealth", "null when the result carried no verdict"),
    result: anyObject("The agent's result as it sent it"),
  },
};

const ProbeUrlResult = {
  type: "object",
  properties: {
    nodeId: { type: "string" },
    url: { type: "string" },
    health: nullableRef("StreamHealth", "null when the result carried no verdict"),
    result: anyObject("The agent's result as it sent it"),
  },
};

/** Component schemas of the stream and health routes' responses, by name. */
export const STREAM_DOC_SCHEMAS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  StreamHealth,
  Stream,
  StreamPage,
  ProbeResult,
  ProbeUrlResult,
};
