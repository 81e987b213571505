import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { MtxError } from "@mtx-fleet/plugin-api";
import { CommandSchema } from "@mtx-fleet/proto";
import { describe, expect, it } from "vitest";
import { answerCommand } from "./answer-command.ts";

const live = new AbortController().signal;

describe("answerCommand", () => {
  it("answers with the handler's value", async () => {
    const command = create(CommandSchema, { id: "c1", kind: { case: "probe", value: { pathName: "cam1" } } });
    const result = await answerCommand(
      command,
      { probe: ({ pathName }) => ({ pathName, ok: true }) },
      { now: Date.now, signal: live },
    );
    expect(result).toEqual({
      commandId: "c1",
      outcome: { case: "ok", value: { pathName: "cam1", ok: true } },
    });
  });

  it("answers a command without a known kind with MTX_INVALID_INPUT", async () => {
    const command = create(CommandSchema, { id: "c2" }); // a kind from a newer hub decodes as no case
    const result = await answerCommand(command, { sync: () => undefined }, { now: Date.now, signal: live });
    expect(result).toEqual({
      commandId: "c2",
      outcome: {
        case: "error",
        value: {
          code: "MTX_INVALID_INPUT",
          message: "this agent does not handle command kind 'unknown'",
          details: { kind: "unknown", supported: ["sync"] },
        },
      },
    });
  });

  it("answers MTX_LINK_TIMEOUT before the deadline and aborts the handler's signal", async () => {
    let aborted = false;
    const command = create(CommandSchema, {
      id: "c3",
      deadline: timestampFromMs(Date.now() + 200),
      kind: { case: "sync", value: {} },
    });
    const started = Date.now();
    const result = await answerCommand(
      command,
      {
        sync: (_body, ctx) =>
          new Promise((_, reject) => {
            ctx.signal.addEventListener("abort", () => {
              aborted = true;
              reject(new MtxError("MTX_INTERNAL", "aborted"));
            });
          }),
      },
      { now: Date.now, signal: live },
    );
    expect(Date.now() - started).toBeLessThan(200);
    expect([
      result.outcome?.case,
      result.outcome?.case === "error" && result.outcome.value.code,
      aborted,
    ]).toEqual(["error", "MTX_LINK_TIMEOUT", true]);
  });
});
