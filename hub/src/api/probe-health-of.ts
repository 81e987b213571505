import { STREAM_VERDICTS, type StreamVerdict } from "@mtx-fleet/plugin-api";
import type { StreamHealthRecord } from "../store/hub-records.ts";
import { isoOf } from "./iso-of.ts";

const MAX_REASONS = 32;
const MAX_CODE_CHARS = 64;
const MAX_MESSAGE_CHARS = 1024;

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function verdictOf(value: unknown): StreamVerdict | undefined {
  return (STREAM_VERDICTS as readonly unknown[]).includes(value) ? (value as StreamVerdict) : undefined;
}

/**
 * The health in an agent's probe result (`probe.path`, `probe.url`): the result itself or its
 * `health` member, shaped like the plugin API's `StreamHealth` (times in epoch ms or ISO).
 * Undefined when it carries no verdict; reasons and their texts are bounded, since the result
 * comes from outside the hub.
 */
export function probeHealthOf(result: Json): StreamHealthRecord | undefined {
  const source = isObject(result.health) ? result.health : result;
  const verdict = verdictOf(source.verdict);
  if (verdict === undefined) return undefined;
  const reasons = Array.isArray(source.reasons) ? source.reasons.filter(isObject).slice(0, MAX_REASONS) : [];
  return {
    verdict,
    reasons: reasons
      .filter((reason) => typeof reason.code === "string" && reason.code !== "")
      .map((reason) => ({
        code: String(reason.code).slice(0, MAX_CODE_CHARS),
        severity: verdictOf(reason.severity) ?? "unknown",
        message: typeof reason.message === "string" ? reason.message.slice(0, MAX_MESSAGE_CHARS) : "",
      })),
    values: isObject(source.values) ? { ...source.values } : {},
    checkedAt: isoOf(source.checkedAt),
    since: isoOf(source.since),
  };
}
