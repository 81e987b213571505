import { join } from "node:path";
import { type ChildProcessHandle, spawnChild, waitForLine } from "./child-process-handle.ts";
import { createTempDir } from "./temp-dir.ts";

/**
 * Stands in for systemd's notify socket: an AF_UNIX SOCK_DGRAM receiver that, like PID 1,
 * accepts passed file descriptors and closes them (that is what releases sd_notify_barrier).
 * Prints one JSON line per datagram. Node has no unix datagram sockets, Python does.
 */
const LISTENER = `
import array, json, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
path = sys.argv[1]
s.bind("\\0" + path[1:] if path.startswith("@") else path)
print("listening", flush=True)
while True:
    data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    fds = 0
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            a = array.array("i")
            a.frombytes(payload[: len(payload) - len(payload) % a.itemsize])
            for fd in a:
                os.close(fd)
                fds += 1
    print(json.dumps({"data": data.decode(), "fds": fds}), flush=True)
`;

/** One datagram received on the socket. */
export interface NotifyDatagram {
  readonly data: string;
  readonly fds: number;
}

/** A fake `NOTIFY_SOCKET` (pass `socket` as the env var). */
export interface NotifySocket extends AsyncDisposable {
  readonly socket: string;
  readonly received: readonly NotifyDatagram[];
  /** Resolves once `count` datagrams other than barriers have arrived, with all of them. */
  messages(count: number, timeoutMs?: number): Promise<string[]>;
}

/** Starts a notify socket listener (a file in a temp dir, or an abstract `@name`). */
export async function startNotifySocket(socketName = "notify.sock"): Promise<NotifySocket> {
  const dir = await createTempDir("sd-notify-");
  const socket = socketName.startsWith("@") ? socketName : join(dir.path, socketName);
  const python: ChildProcessHandle = spawnChild("python3", { args: ["-c", LISTENER, socket] });
  await waitForLine(python, (line) => (line === "listening" ? true : undefined), 10_000, "notify listener");
  const received: NotifyDatagram[] = [];
  const waiters: Array<() => void> = [];
  let buffer = "";
  python.child.stdout?.on("data", (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) received.push(JSON.parse(line) as NotifyDatagram);
    for (const wake of waiters.splice(0)) wake();
  });
  const messages = (): string[] => received.filter((d) => d.data !== "BARRIER=1").map((d) => d.data);
  return {
    socket,
    received,
    async messages(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages().length < count) {
        if (Date.now() > deadline) throw new Error(`only ${JSON.stringify(messages())} arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return messages();
    },
    [Symbol.asyncDispose]: async () => {
      await python.stop();
      await dir[Symbol.asyncDispose]();
    },
  };
}
