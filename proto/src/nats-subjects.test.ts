import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { Environment } from "./gen/mtx/v1/refs_pb.ts";
import {
  consumerName,
  decodeSubjectToken,
  encodeSubjectToken,
  environmentFromName,
  environmentName,
  eventSubject,
  eventsFilterSubject,
  MAX_SUBJECT_TOKEN_LENGTH,
  MTX_EVENTS_SUBJECT_FILTER,
  parseSubject,
  TELEMETRY_SUBJECT_FILTER,
  telemetryFilterSubject,
  telemetrySubject,
} from "./nats-subjects.ts";

// A subject token NATS accepts as a literal: no separator, wildcard, whitespace or control.
const SAFE_TOKEN = /^[A-Za-z0-9_~-]+$/;

describe("encodeSubjectToken", () => {
  it.each([
    ["node-1", "node-1"],
    ["Node_2", "Node_2"],
    ["", "~"],
    ["~", "~7E"],
    ["a.b", "a~2Eb"],
    ["*", "~2A"],
    [">", "~3E"],
    ["a b\tc\n", "a~20b~09c~0A"],
    ["$SYS", "~24SYS"],
    ["é", "~C3~A9"],
    ["📷", "~F0~9F~93~B7"],
    ["\u0000", "~00"],
  ])("encodes %j as %j", (value, token) => {
    expect(encodeSubjectToken(value)).toBe(token);
    expect(decodeSubjectToken(token)).toBe(value);
  });

  it.each([
    "*",
    ">",
    "a.*.>",
    "node.events.>",
    " ",
    "\r\nPUB x 1\r\n",
    "../etc",
    "~41",
    "~",
    "ab~zz",
    "x".repeat(80),
  ])("round-trips hostile value %j through a single safe token", (value) => {
    const token = encodeSubjectToken(value);
    expect(token).toMatch(SAFE_TOKEN);
    expect(decodeSubjectToken(token)).toBe(value);
  });

  it("refuses a lone surrogate, which could not round-trip through UTF-8", () => {
    expect(() => encodeSubjectToken("a\uD800")).toThrow(MtxError);
  });

  it("refuses a value whose token would be longer than the limit", () => {
    const error = catchError(() => encodeSubjectToken(".".repeat(100)));
    expect(error).toMatchObject({ code: "MTX_INVALID_INPUT" });
    expect(encodeSubjectToken("a".repeat(MAX_SUBJECT_TOKEN_LENGTH))).toHaveLength(MAX_SUBJECT_TOKEN_LENGTH);
  });
});

describe("decodeSubjectToken", () => {
  it.each([
    ["lower-case hex", "a~2eb"],
    ["an escaped plain character", "~41"],
    ["a truncated escape", "ab~2"],
    ["a wildcard", "*"],
    ["a dot", "a.b"],
    ["a space", "a b"],
    ["invalid UTF-8", "~C3"],
    ["an overlong encoding", "~C0~AE"],
    ["an empty token", ""],
    ["an over-long token", "a".repeat(MAX_SUBJECT_TOKEN_LENGTH + 1)],
  ])("refuses %s", (_, token) => {
    expect(decodeSubjectToken(token)).toBeUndefined();
  });
});

describe("subjects", () => {
  const node = { environment: "prod", nodeId: "n-1" };

  it("builds the telemetry and event subjects of a node", () => {
    expect(telemetrySubject(node)).toBe("mtx.v1.prod.n-1.telemetry");
    expect(eventSubject(node, "path.availability")).toBe("mtx.v1.prod.n-1.events.path.availability");
    expect(eventSubject(node, "hook")).toBe("mtx.v1.prod.n-1.events.hook");
  });

  it("keeps hostile node ids and kinds inside their tokens", () => {
    const hostile = { environment: "prod.*", nodeId: "a.>" };
    expect(telemetrySubject(hostile)).toBe("mtx.v1.prod~2E~2A.a~2E~3E.telemetry");
    expect(eventSubject(hostile, "x.*.>. .")).toBe("mtx.v1.prod~2E~2A.a~2E~3E.events.x.~2A.~3E.~20.~");
  });

  it.each([
    { environment: "dev", nodeId: "n-1", kind: "path.availability" },
    { environment: "staging", nodeId: "a.b.*.>", kind: "hook.received" },
    { environment: "prod", nodeId: " spaced id ", kind: "..leading.dots" },
    { environment: "prod", nodeId: "", kind: "" },
    { environment: "dev", nodeId: "📷 cam", kind: "plugin.my-check.verdict" },
    { environment: "dev", nodeId: "n", kind: "events.>" },
  ])("parses back the event subject of $nodeId / $kind", ({ environment, nodeId, kind }) => {
    const subject = eventSubject({ environment, nodeId }, kind);
    expect(subject.split(".").slice(0, 5)).toEqual([
      "mtx",
      "v1",
      expect.any(String),
      expect.any(String),
      "events",
    ]);
    expect(parseSubject(subject)).toEqual({ type: "event", environment, nodeId, kind });
    expect(parseSubject(telemetrySubject({ environment, nodeId }))).toEqual({
      type: "telemetry",
      environment,
      nodeId,
    });
  });

  it.each([
    "mtx.v1.prod.n-1",
    "mtx.v1.prod.n-1.events",
    "mtx.v1.prod.n-1.telemetry.extra",
    "mtx.v2.prod.n-1.telemetry",
    "other.v1.prod.n-1.telemetry",
    "mtx.v1.prod.n~41.telemetry",
    "mtx.v1.prod.n-1.events.a~2eb",
    "mtx.v1.prod.n-1.status",
  ])("does not parse the foreign subject %s", (subject) => {
    expect(parseSubject(subject)).toBeUndefined();
  });

  it("builds filters with wildcards only where a part is absent", () => {
    expect(eventsFilterSubject()).toBe(MTX_EVENTS_SUBJECT_FILTER);
    expect(MTX_EVENTS_SUBJECT_FILTER).toBe("mtx.v1.*.*.events.>");
    expect(telemetryFilterSubject()).toBe(TELEMETRY_SUBJECT_FILTER);
    expect(eventsFilterSubject({ environment: "prod" })).toBe("mtx.v1.prod.*.events.>");
    expect(telemetryFilterSubject({ nodeId: "*" })).toBe("mtx.v1.*.~2A.telemetry");
  });
});

describe("names", () => {
  it("accepts portable consumer names and refuses the rest", () => {
    expect(consumerName()).toBe("mtx-hub");
    expect(consumerName("hub_2")).toBe("hub_2");
    for (const bad of ["", "a.b", "a*", "a>", "a b", "a/b", "x".repeat(65)]) {
      expect(catchError(() => consumerName(bad))).toMatchObject({ code: "MTX_INVALID_INPUT" });
    }
  });

  it("maps environments to their subject names and back", () => {
    expect([Environment.DEV, Environment.STAGING, Environment.PROD].map(environmentName)).toEqual([
      "dev",
      "staging",
      "prod",
    ]);
    expect(environmentName(Environment.UNSPECIFIED)).toBeUndefined();
    expect(["dev", "staging", "prod", "qa"].map(environmentFromName)).toEqual([
      Environment.DEV,
      Environment.STAGING,
      Environment.PROD,
      Environment.UNSPECIFIED,
    ]);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
