import type { ServerOptions } from "@grpc/grpc-js";
import { Server, ServerCredentials } from "@grpc/grpc-js";

/** A grpc-js server on a free loopback port; disposing it kills every open call. */
export interface RunningGrpcServer extends AsyncDisposable {
  readonly server: Server;
  /** `127.0.0.1:<port>`, ready for `createClient`. */
  readonly address: string;
}

/** Starts an insecure grpc-js server on 127.0.0.1:0 after `register` added its services. */
export async function startGrpcServer(
  register: (server: Server) => void,
  options: ServerOptions = {},
): Promise<RunningGrpcServer> {
  const server = new Server(options);
  register(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
  return {
    server,
    address: `127.0.0.1:${port}`,
    [Symbol.asyncDispose]: async () => server.forceShutdown(),
  };
}
