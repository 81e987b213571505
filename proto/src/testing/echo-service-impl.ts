import { setTimeout as sleep } from "node:timers/promises";
import type { MtxErrorCode } from "@mtx-fleet/plugin-api";
import { MtxError } from "@mtx-fleet/plugin-api";
import type { EchoService } from "../gen/mtx/testing/v1/echo_pb.ts";
import type { ServiceImpl } from "../service-impl.ts";

/** What the test server saw, for assertions about the server side of a call. */
export interface EchoServerLog {
  /** Texts of Chat requests in arrival order. */
  readonly chatReceived: string[];
  /**
   * Resolves when the Chat handler's request loop ends, telling whether `ctx.signal` was aborted
   * by then. On a client cancel grpc-js ends the request stream just before it reports the
   * cancel, so a cancelled call may still say `aborted: false` here.
   */
  readonly chatLoopEnded: Promise<{ aborted: boolean }>;
  /** Resolves when the Chat call's `ctx.signal` aborts (client cancelled, deadline passed). */
  readonly chatAborted: Promise<unknown>;
}

/** TEST ONLY: the behaviour of `mtx.testing.v1.EchoService` (see echo.proto). */
export function createEchoServiceImpl(): { impl: ServiceImpl<typeof EchoService>; log: EchoServerLog } {
  const loopEnded = Promise.withResolvers<{ aborted: boolean }>();
  const aborted = Promise.withResolvers<unknown>();
  const log: EchoServerLog = {
    chatReceived: [],
    chatLoopEnded: loopEnded.promise,
    chatAborted: aborted.promise,
  };
  const impl: ServiceImpl<typeof EchoService> = {
    async echo(request, ctx) {
      if (request.delayMs > 0)
        await sleep(request.delayMs, undefined, { signal: ctx.signal }).catch(() => {});
      if (request.failCode !== "") {
        throw new MtxError(request.failCode as MtxErrorCode, `asked to fail: ${request.text}`, {
          details: { text: request.text, nested: { n: 1 } },
        });
      }
      return { text: request.text };
    },
    async *chat(requests, ctx) {
      ctx.signal.addEventListener("abort", () => aborted.resolve(ctx.signal.reason), { once: true });
      let seq = 0;
      for await (const request of requests) {
        log.chatReceived.push(request.text);
        if (request.text === "bye") break; // ends the call with OK while the client may still send
        if (request.text === "boom") throw new MtxError("MTX_INVALID_INPUT", "chat cannot say boom");
        seq += 1;
        yield { text: `re: ${request.text}`, seq };
      }
      loopEnded.resolve({ aborted: ctx.signal.aborted });
    },
    async *count(request) {
      for (let n = 1; n <= request.count; n++) yield { n };
    },
    async collect(requests) {
      const texts: string[] = [];
      for await (const request of requests) texts.push(request.text);
      return { joined: texts.join(",") };
    },
  };
  return { impl, log };
}
