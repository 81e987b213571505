// Every NATS subject, stream and consumer name of MTX Fleet is built here, so agent and hub
// can never disagree on them (ARCHITECTURE §3).
//
//   mtx.v1.<env>.<node>.telemetry          latest-wins node telemetry (core NATS)
//   mtx.v1.<env>.<node>.events.<kind...>   events, captured by the MTX_EVENTS stream
//
// Each part is one token (or, for a dotted kind, one token per dotted segment) encoded by
// `encodeSubjectToken`, so an id or a kind chosen by a user can never add a token, a wildcard
// or whitespace to a subject.
import { MtxError } from "@mtx-fleet/plugin-api";
import { Environment } from "./gen/mtx/v1/refs_pb.ts";

/** The first two tokens of every subject: the product and the wire-format version. */
export const NATS_SUBJECT_ROOT = "mtx.v1";
/** The JetStream stream that stores every event of every node. */
export const MTX_EVENTS_STREAM = "MTX_EVENTS";
/** What `MTX_EVENTS` captures: events of any environment and node. */
export const MTX_EVENTS_SUBJECT_FILTER = `${NATS_SUBJECT_ROOT}.*.*.events.>`;
/** Telemetry of any environment and node. */
export const TELEMETRY_SUBJECT_FILTER = `${NATS_SUBJECT_ROOT}.*.*.telemetry`;
/** The durable consumer all hub replicas share (each event goes to one replica). */
export const DEFAULT_HUB_CONSUMER_NAME = "mtx-hub";
/**
 * Longest encoded token accepted. NATS refuses protocol lines over 4 KiB by closing the
 * connection, so a huge id or kind must fail here and not take the publisher's link down.
 */
export const MAX_SUBJECT_TOKEN_LENGTH = 256;

/** The deployment stages as they appear in subjects and in the hub API. */
export type EnvironmentName = "dev" | "staging" | "prod";

const ENVIRONMENT_NAMES: ReadonlyMap<Environment, EnvironmentName> = new Map([
  [Environment.DEV, "dev"],
  [Environment.STAGING, "staging"],
  [Environment.PROD, "prod"],
]);

/** `Environment.PROD` → `"prod"`; undefined for `ENVIRONMENT_UNSPECIFIED` or unknown values. */
export function environmentName(environment: Environment): EnvironmentName | undefined {
  return ENVIRONMENT_NAMES.get(environment);
}

/** `"prod"` → `Environment.PROD`; `ENVIRONMENT_UNSPECIFIED` for anything else. */
export function environmentFromName(name: string): Environment {
  for (const [value, text] of ENVIRONMENT_NAMES) if (text === name) return value;
  return Environment.UNSPECIFIED;
}

// Characters that pass unchanged; everything else (including the escape `~`) becomes `~XX`
// per UTF-8 byte, upper-case hex. The empty string is the lone `~`, which no other value
// produces (an escape always has two hex digits).
const PLAIN = /^[A-Za-z0-9_-]$/;
const ESCAPE = "~";
const TOKEN_SHAPE = /^(?:[A-Za-z0-9_-]|~[0-9A-F]{2})+$/;
const UTF8 = new TextEncoder();

/**
 * Encodes any string as one safe NATS subject token (only `A-Z a-z 0-9 _ - ~`), reversibly:
 * `decodeSubjectToken(encodeSubjectToken(s)) === s`. Throws `MTX_INVALID_INPUT` for a string
 * that is not well-formed UTF-16 (it could not round-trip) or whose token would exceed
 * `MAX_SUBJECT_TOKEN_LENGTH`.
 */
export function encodeSubjectToken(value: string): string {
  if (!value.isWellFormed()) throw invalidToken("contains a lone surrogate", value);
  if (value === "") return ESCAPE;
  let token = "";
  for (const char of value) {
    if (PLAIN.test(char)) token += char;
    else for (const byte of UTF8.encode(char)) token += `${ESCAPE}${hex(byte)}`;
  }
  if (token.length > MAX_SUBJECT_TOKEN_LENGTH) {
    throw invalidToken(`encodes to ${token.length} characters, more than ${MAX_SUBJECT_TOKEN_LENGTH}`, value);
  }
  return token;
}

/**
 * The string a token encodes, or undefined when the token is not exactly what
 * `encodeSubjectToken` produces for some string (other characters, lower-case hex, an escaped
 * plain character, invalid UTF-8). Refusing such aliases keeps one subject per node, so
 * subject permissions cannot be side-stepped with a second spelling of an id.
 */
export function decodeSubjectToken(token: string): string | undefined {
  if (token === ESCAPE) return "";
  if (token.length > MAX_SUBJECT_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i += 1) {
    if (token[i] === ESCAPE) {
      bytes.push(Number.parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  let value: string;
  try {
    value = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  return encodeSubjectToken(value) === token ? value : undefined;
}

/** Where a subject's node part comes from. */
export interface SubjectNode {
  /** The stage name, normally an `EnvironmentName`. */
  readonly environment: string;
  readonly nodeId: string;
}

function nodePrefix(node: SubjectNode): string {
  return `${NATS_SUBJECT_ROOT}.${encodeSubjectToken(node.environment)}.${encodeSubjectToken(node.nodeId)}`;
}

/** `mtx.v1.<env>.<node>.telemetry`: the node's latest-wins telemetry. */
export function telemetrySubject(node: SubjectNode): string {
  return `${nodePrefix(node)}.telemetry`;
}

/**
 * `mtx.v1.<env>.<node>.events.<kind>`. A dotted kind (`path.availability`) keeps its dots as
 * token separators so consumers can filter on `events.path.>`; each segment is encoded.
 */
export function eventSubject(node: SubjectNode, kind: string): string {
  return `${nodePrefix(node)}.events.${kind.split(".").map(encodeSubjectToken).join(".")}`;
}

/** Narrows a filter subject; an absent part is the `*` wildcard. */
export interface SubjectFilter {
  readonly environment?: string;
  readonly nodeId?: string;
}

function filterPrefix(filter: SubjectFilter): string {
  const env = filter.environment === undefined ? "*" : encodeSubjectToken(filter.environment);
  const node = filter.nodeId === undefined ? "*" : encodeSubjectToken(filter.nodeId);
  return `${NATS_SUBJECT_ROOT}.${env}.${node}`;
}

/** `mtx.v1.<env|*>.<node|*>.events.>`: every event of the matching nodes. */
export function eventsFilterSubject(filter: SubjectFilter = {}): string {
  return `${filterPrefix(filter)}.events.>`;
}

/** `mtx.v1.<env|*>.<node|*>.telemetry`: telemetry of the matching nodes. */
export function telemetryFilterSubject(filter: SubjectFilter = {}): string {
  return `${filterPrefix(filter)}.telemetry`;
}

/** What a received subject says, once decoded. */
export type ParsedSubject =
  | { readonly type: "telemetry"; readonly environment: string; readonly nodeId: string }
  | { readonly type: "event"; readonly environment: string; readonly nodeId: string; readonly kind: string };

/** Decodes a subject built by this module; undefined for anything else (never throws). */
export function parseSubject(subject: string): ParsedSubject | undefined {
  const tokens = subject.split(".");
  if (tokens.length < 5 || `${tokens[0]}.${tokens[1]}` !== NATS_SUBJECT_ROOT) return undefined;
  const environment = decodeSubjectToken(tokens[2]!);
  const nodeId = decodeSubjectToken(tokens[3]!);
  if (environment === undefined || nodeId === undefined) return undefined;
  if (tokens[4] === "telemetry" && tokens.length === 5) return { type: "telemetry", environment, nodeId };
  if (tokens[4] !== "events" || tokens.length < 6) return undefined;
  const segments = tokens.slice(5).map(decodeSubjectToken);
  if (segments.some((segment) => segment === undefined)) return undefined;
  return { type: "event", environment, nodeId, kind: segments.join(".") };
}

const CONSUMER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Checks a durable consumer name (`mtx-hub`): JetStream names may not hold `.`, `*`, `>`,
 * whitespace or path separators; we allow the portable subset `A-Z a-z 0-9 _ -`, up to 64.
 * Returns it, or throws `MTX_INVALID_INPUT`.
 */
export function consumerName(name: string = DEFAULT_HUB_CONSUMER_NAME): string {
  if (CONSUMER_NAME.test(name)) return name;
  throw new MtxError("MTX_INVALID_INPUT", `invalid consumer name ${JSON.stringify(name)}`, {
    details: { issues: ["durableName must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'"] },
  });
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, "0");
}

function invalidToken(issue: string, value: string): MtxError {
  return new MtxError(
    "MTX_INVALID_INPUT",
    `cannot use ${JSON.stringify(value.slice(0, 80))} in a NATS subject: ${issue}`,
    {
      details: { issues: [`subject token ${issue}`] },
    },
  );
}
