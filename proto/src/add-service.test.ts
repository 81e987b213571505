import { create } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { credentials, Server, status } from "@grpc/grpc-js";
import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { addService } from "./add-service.ts";
import { createClient } from "./create-client.ts";
import { INTERNAL_ERROR_MESSAGE } from "./error-to-grpc-status.ts";
import { EchoResponseSchema, EchoService } from "./gen/mtx/testing/v1/echo_pb.ts";
import type { ServerCallContext, ServiceImpl } from "./service-impl.ts";
import { createEchoServiceImpl } from "./testing/echo-service-impl.ts";
import { startGrpcServer } from "./testing/start-grpc-server.ts";

async function serve(impl: ServiceImpl<typeof EchoService>, onUnexpectedError?: ServerCallContextHandler) {
  const running = await startGrpcServer((server) =>
    addService(server, EchoService, impl, onUnexpectedError ? { onUnexpectedError } : {}),
  );
  const client = createClient(EchoService, running.address, credentials.createInsecure());
  return {
    client,
    [Symbol.asyncDispose]: async () => {
      client[Symbol.dispose]();
      await running[Symbol.asyncDispose]();
    },
  };
}
type ServerCallContextHandler = (error: unknown, ctx: ServerCallContext) => void;

describe("addService", () => {
  it("hides a non-MtxError from the client and hands it to onUnexpectedError", async () => {
    const secret = new Error("password=hunter2 at db.ts:12");
    const reported: Array<{ error: unknown; method: string }> = [];
    await using echo = await serve(
      {
        ...createEchoServiceImpl().impl,
        echo: async () => {
          throw secret;
        },
      },
      (error, ctx) => reported.push({ error, method: ctx.method }),
    );
    const error = await echo.client.echo({ text: "x" }).then(
      () => expect.unreachable(),
      (e: unknown) => e as MtxError,
    );
    expect(error).toBeInstanceOf(MtxError);
    expect(error.toJSON()).toEqual({ code: "MTX_INTERNAL", message: INTERNAL_ERROR_MESSAGE });
    expect((error.cause as ServiceError).code).toBe(status.INTERNAL);
    expect((error.cause as ServiceError).details).not.toContain("hunter2");
    expect(reported).toEqual([{ error: secret, method: "/mtx.testing.v1.EchoService/Echo" }]);
  });

  it("does not report an MtxError as unexpected", async () => {
    const reported: unknown[] = [];
    await using echo = await serve(createEchoServiceImpl().impl, (error) => reported.push(error));
    await echo.client.echo({ text: "x", failCode: "MTX_INVALID_INPUT" }).catch(() => {});
    expect(reported).toEqual([]);
  });

  it("gives handlers the method, the request metadata and the peer", async () => {
    const seen: Array<Omit<ServerCallContext, "signal" | "metadata"> & { requestId: unknown }> = [];
    await using echo = await serve({
      ...createEchoServiceImpl().impl,
      echo: async (request, ctx) => {
        seen.push({ method: ctx.method, peer: ctx.peer, requestId: ctx.metadata.get("x-request-id")[0] });
        return { text: request.text };
      },
    });
    const response = await echo.client.echo({ text: "hi" }, { metadata: { "x-request-id": "req-42" } });
    expect(response).toEqual(create(EchoResponseSchema, { text: "hi" }));
    expect(seen).toEqual([
      {
        method: "/mtx.testing.v1.EchoService/Echo",
        peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        requestId: "req-42",
      },
    ]);
  });

  it("refuses an implementation that lacks a method", () => {
    const { echo } = createEchoServiceImpl().impl;
    const partial = { echo } as unknown as ServiceImpl<typeof EchoService>;
    const server = new Server();
    expect(() => addService(server, EchoService, partial)).toThrow(
      new MtxError("MTX_INVALID_INPUT", "no handler for mtx.testing.v1.EchoService.Chat"),
    );
  });
});
