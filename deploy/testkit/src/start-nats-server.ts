import { mkdir, readdir, readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type ChildProcessHandle, spawnChild } from "./child-process-handle.ts";
import { createTempDir } from "./temp-dir.ts";

export interface NatsServerOptions {
  /** Enable JetStream with a store dir in the temp dir (default true). */
  readonly jetstream?: boolean;
  readonly readyTimeoutMs?: number;
  /** The nats-server binary; the project's setup puts one >= 2.10 on PATH. */
  readonly binary?: string;
}

export const DEFAULT_NATS_READY_TIMEOUT_MS = 10_000;

/** A real nats-server on a free loopback port; `restart()` keeps the port and the JetStream store. */
export interface StartedNatsServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Stops the server (the port stays reserved for `start()`). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same store. */
  start(): Promise<void>;
  restart(): Promise<void>;
  stderr(): string;
}

async function waitForPortsFile(dir: string, handle: ChildProcessHandle, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (handle.child.exitCode !== null) {
      throw new Error(`nats-server exited before it was ready:\n${handle.stderrTail()}`);
    }
    const files = (await readdir(dir)).filter((name) => name.endsWith(".ports"));
    for (const file of files) {
      const text = await readFile(join(dir, file), "utf8").catch(() => "");
      if (text === "") continue;
      const ports = JSON.parse(text) as { nats?: string[] };
      const url = ports.nats?.[0];
      if (url !== undefined) return Number(new URL(url).port);
    }
    await sleep(25);
  }
  throw new Error(`nats-server was not ready within ${timeoutMs} ms:\n${handle.stderrTail()}`);
}

async function waitForPort(port: number, handle: ChildProcessHandle, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (handle.child.exitCode !== null) throw new Error(`nats-server exited:\n${handle.stderrTail()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms`);
}

/** Starts a real `nats-server` (with JetStream by default) for a test; dispose stops it and removes its files. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<StartedNatsServer> {
  const {
    jetstream = true,
    readyTimeoutMs = DEFAULT_NATS_READY_TIMEOUT_MS,
    binary = "nats-server",
  } = options;
  const dir = await createTempDir("mtx-nats-");
  const storeDir = join(dir.path, "jetstream");
  const portsDir = join(dir.path, "ports");
  await mkdir(portsDir);
  const argsFor = (port: number): string[] => [
    "-a",
    "127.0.0.1",
    "-p",
    String(port),
    "--ports_file_dir",
    portsDir,
    ...(jetstream ? ["-js", "-sd", storeDir] : []),
  ];
  let handle = spawnChild(binary, { args: argsFor(-1) });
  let port: number;
  try {
    port = await waitForPortsFile(portsDir, handle, readyTimeoutMs);
  } catch (error) {
    await handle.stop();
    await dir[Symbol.asyncDispose]();
    throw error;
  }
  let running = true;
  const stop = async (): Promise<void> => {
    if (!running) return;
    running = false;
    await handle.stop();
  };
  const start = async (): Promise<void> => {
    if (running) return;
    handle = spawnChild(binary, { args: argsFor(port) });
    running = true;
    await waitForPort(port, handle, readyTimeoutMs);
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    stderr: () => handle.stderrTail(),
    [Symbol.asyncDispose]: async () => {
      await stop();
      await dir[Symbol.asyncDispose]();
    },
  };
}
