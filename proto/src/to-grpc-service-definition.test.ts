import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { EchoRequestSchema, EchoResponseSchema, EchoService } from "./gen/mtx/testing/v1/echo_pb.ts";
import { toGrpcServiceDefinition } from "./to-grpc-service-definition.ts";

describe("toGrpcServiceDefinition", () => {
  it("puts every RPC on its standard gRPC path with its streaming flags", () => {
    const definition = toGrpcServiceDefinition(EchoService);
    const shape = Object.fromEntries(
      Object.entries(definition).map(([key, m]) => [key, [m.path, m.requestStream, m.responseStream]]),
    );
    expect(shape).toEqual({
      echo: ["/mtx.testing.v1.EchoService/Echo", false, false],
      chat: ["/mtx.testing.v1.EchoService/Chat", true, true],
      count: ["/mtx.testing.v1.EchoService/Count", false, true],
      collect: ["/mtx.testing.v1.EchoService/Collect", true, false],
    });
  });

  it("serialises init objects as protobuf binary and parses them back into messages", () => {
    const echo = toGrpcServiceDefinition(EchoService).echo!;
    const bytes = echo.requestSerialize({ text: "hi", delayMs: 7 });
    expect(new Uint8Array(bytes)).toEqual(
      toBinary(EchoRequestSchema, create(EchoRequestSchema, { text: "hi", delayMs: 7 })),
    );
    expect(echo.requestDeserialize(bytes)).toEqual(create(EchoRequestSchema, { text: "hi", delayMs: 7 }));
    const response = create(EchoResponseSchema, { text: "ok" });
    expect(echo.responseDeserialize(echo.responseSerialize(response))).toEqual(response);
  });
});
