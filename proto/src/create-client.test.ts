import { isDeepStrictEqual } from "node:util";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { credentials, status } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, expectTypeOf, it } from "vitest";
import { addService } from "./add-service.ts";
import type { CreateClientOptions, ServiceClient } from "./create-client.ts";
import { createClient } from "./create-client.ts";
import type {
  ChatResponse,
  CollectResponse,
  CountResponse,
  EchoResponse,
} from "./gen/mtx/testing/v1/echo_pb.ts";
import {
  type ChatRequestSchema,
  ChatResponseSchema,
  CollectResponseSchema,
  CountResponseSchema,
  type EchoRequestSchema,
  EchoResponseSchema,
  EchoService,
} from "./gen/mtx/testing/v1/echo_pb.ts";
import { createEchoServiceImpl } from "./testing/echo-service-impl.ts";
import { startGrpcServer } from "./testing/start-grpc-server.ts";

const ECHO_PATH = "/mtx.testing.v1.EchoService/Echo";
const CHAT_PATH = "/mtx.testing.v1.EchoService/Chat";

async function startEcho(clientOptions: CreateClientOptions = {}) {
  const { impl, log } = createEchoServiceImpl();
  const running = await startGrpcServer((server) => addService(server, EchoService, impl));
  const client = createClient(EchoService, running.address, credentials.createInsecure(), clientOptions);
  return {
    client,
    log,
    [Symbol.asyncDispose]: async () => {
      client[Symbol.dispose]();
      await running[Symbol.asyncDispose]();
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<MtxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof MtxError)) throw new Error(`expected an MtxError, got ${String(error)}`);
  return error;
}

const chat = (text: string, seq: number) => create(ChatResponseSchema, { text: `re: ${text}`, seq });

describe("createClient types", () => {
  it("derives every method's request and response types from the descriptor", () => {
    // Checked by `tsc` (the root typecheck); at run time these are no-ops.
    type Client = ServiceClient<typeof EchoService>;
    expectTypeOf<Parameters<Client["echo"]>[0]>().toEqualTypeOf<MessageInitShape<typeof EchoRequestSchema>>();
    expectTypeOf<ReturnType<Client["echo"]>>().toEqualTypeOf<Promise<EchoResponse>>();
    expectTypeOf<ReturnType<Client["count"]>>().toEqualTypeOf<AsyncIterable<CountResponse>>();
    expectTypeOf<ReturnType<Client["chat"]>>().toExtend<AsyncIterable<ChatResponse>>();
    expectTypeOf<Parameters<ReturnType<Client["chat"]>["send"]>[0]>().toEqualTypeOf<
      MessageInitShape<typeof ChatRequestSchema>
    >();
    expectTypeOf<ReturnType<Client["collect"]>>().toEqualTypeOf<Promise<CollectResponse>>();
  });
});

describe("createClient against a real grpc-js server", () => {
  it("answers a unary call with the server's response", async () => {
    await using echo = await startEcho();
    expect(await echo.client.echo({ text: "hello" })).toEqual(create(EchoResponseSchema, { text: "hello" }));
  });

  it("streams several messages both ways in order and ends the call cleanly", async () => {
    await using echo = await startEcho();
    const stream = echo.client.chat();
    const responses = stream[Symbol.asyncIterator]();
    await stream.send({ text: "a" });
    expect(await responses.next()).toEqual({ done: false, value: chat("a", 1) });
    await stream.send({ text: "b" });
    await stream.send({ text: "c" });
    stream.end();
    const rest = [];
    for await (const response of { [Symbol.asyncIterator]: () => responses }) rest.push(response);
    expect(rest).toEqual([chat("b", 2), chat("c", 3)]);
    expect(echo.log.chatReceived).toEqual(["a", "b", "c"]);
    expect(await echo.log.chatLoopEnded).toEqual({ aborted: false });
  });

  it("delivers a server-thrown MtxError with the same code, message and details", async () => {
    await using echo = await startEcho();
    const error = await rejection(echo.client.echo({ text: "x", failCode: "MTX_MEDIAMTX_NOT_FOUND" }));
    expect(error.toJSON()).toEqual({
      code: "MTX_MEDIAMTX_NOT_FOUND",
      message: "asked to fail: x",
      details: { text: "x", nested: { n: 1 } },
    });
    expect((error.cause as ServiceError).code).toBe(status.NOT_FOUND);
  });

  it("throws an MtxError from a failing bidi handler out of the response loop", async () => {
    await using echo = await startEcho();
    const stream = echo.client.chat();
    await stream.send({ text: "ok" });
    await stream.send({ text: "boom" });
    const received: unknown[] = [];
    const error = await rejection(
      (async () => {
        for await (const response of stream) received.push(response);
      })(),
    );
    expect(received).toEqual([chat("ok", 1)]);
    expect(error.toJSON()).toEqual({ code: "MTX_INVALID_INPUT", message: "chat cannot say boom" });
    expect(await rejection(stream.send({ text: "late" }))).toBe(error);
  });

  it("settles every send when the server ends the call while messages are queued", async () => {
    await using echo = await startEcho();
    const stream = echo.client.chat();
    const big = "x".repeat(64 * 1024);
    const sends = [
      stream.send({ text: "bye" }),
      ...Array.from({ length: 40 }, () => stream.send({ text: big })),
    ];
    for await (const response of stream) throw new Error(`unexpected response ${response.text}`);
    const ended = { grpcCode: status.OK, method: CHAT_PATH };
    const outcomes = await Promise.all(
      sends.map((p) =>
        p.then(
          () => "sent",
          (e: MtxError) => e.details,
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome !== "sent" && !isDeepStrictEqual(outcome, ended))).toEqual(
      [],
    );
    expect((await rejection(stream.send({ text: "late" }))).toJSON()).toEqual({
      code: "MTX_GRPC_CALL_FAILED",
      message: `gRPC call ${CHAT_PATH} has already ended`,
      details: ended,
    });
  });

  it("fails a call that outlives its timeoutMs with DEADLINE_EXCEEDED", async () => {
    await using echo = await startEcho();
    const error = await rejection(echo.client.echo({ text: "slow", delayMs: 5_000 }, { timeoutMs: 50 }));
    expect(error.code).toBe("MTX_GRPC_CALL_FAILED");
    expect(error.details).toEqual({ grpcCode: status.DEADLINE_EXCEEDED, method: ECHO_PATH });
    expect(error.message).toMatch(
      /^gRPC call \/mtx\.testing\.v1\.EchoService\/Echo failed: DEADLINE_EXCEEDED: /,
    );
  });

  it("applies the client's unaryTimeoutMs to calls without their own timeout", async () => {
    await using echo = await startEcho({ unaryTimeoutMs: 50 });
    const error = await rejection(echo.client.echo({ text: "slow", delayMs: 5_000 }));
    expect(error.details).toEqual({ grpcCode: status.DEADLINE_EXCEEDED, method: ECHO_PATH });
  });

  it("cancels a unary call when its signal aborts", async () => {
    await using echo = await startEcho();
    const controller = new AbortController();
    const call = echo.client.echo({ text: "slow", delayMs: 5_000 }, { signal: controller.signal });
    controller.abort();
    const error = await rejection(call);
    expect(error.details).toEqual({ grpcCode: status.CANCELLED, method: ECHO_PATH });
  });

  it("ends the server's request stream when the client cancels a bidi call", async () => {
    await using echo = await startEcho();
    const stream = echo.client.chat();
    const responses = stream[Symbol.asyncIterator]();
    await stream.send({ text: "a" });
    expect(await responses.next()).toEqual({ done: false, value: chat("a", 1) });
    stream.cancel();
    await echo.log.chatLoopEnded;
    expect(((await echo.log.chatAborted) as MtxError).toJSON()).toEqual({
      code: "MTX_GRPC_CALL_FAILED",
      message: `gRPC call ${CHAT_PATH} was cancelled or its deadline passed`,
      details: { grpcCode: status.CANCELLED, method: CHAT_PATH },
    });
    expect(await responses.next()).toEqual({ done: true, value: undefined });
    expect((await rejection(stream.send({ text: "b" }))).details).toEqual({
      grpcCode: status.CANCELLED,
      method: CHAT_PATH,
    });
  });

  it("cancels the call when the caller stops reading the responses", async () => {
    await using echo = await startEcho();
    const stream = echo.client.chat();
    await stream.send({ text: "a" });
    for await (const response of stream) {
      expect(response).toEqual(chat("a", 1));
      break;
    }
    await echo.log.chatLoopEnded;
    expect(await echo.log.chatAborted).toBeInstanceOf(MtxError);
  });

  it("reads every message of a server stream", async () => {
    await using echo = await startEcho();
    const received = [];
    for await (const response of echo.client.count({ count: 3 })) received.push(response);
    expect(received).toEqual([1, 2, 3].map((n) => create(CountResponseSchema, { n })));
  });

  it("sends every message of a client stream and gets one answer", async () => {
    await using echo = await startEcho();
    async function* texts() {
      for (const text of ["a", "b", "c"]) yield { text };
    }
    expect(await echo.client.collect(texts())).toEqual(create(CollectResponseSchema, { joined: "a,b,c" }));
  });

  it("passes channelOptions through to grpc-js", async () => {
    // A receive limit is observable where keepalive is not; both travel the same way.
    await using echo = await startEcho({ channelOptions: { "grpc.max_receive_message_length": 8 } });
    const error = await rejection(echo.client.echo({ text: "longer than eight bytes" }));
    expect(error.details).toEqual({ grpcCode: status.RESOURCE_EXHAUSTED, method: ECHO_PATH });
  });
});
