import { type NotifySocket, startNotifySocket } from "@mtx-fleet/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { createSdNotifier, watchdogIntervalFromEnv } from "./sd-notify.ts";

const cleanups: (() => PromiseLike<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startListener(socketName = "notify.sock"): Promise<NotifySocket> {
  const listener = await startNotifySocket(socketName);
  cleanups.push(() => listener[Symbol.asyncDispose]());
  return listener;
}

function collectLogs() {
  const warnings: { fields: Readonly<Record<string, unknown>>; message: string }[] = [];
  const log = () => {};
  const logger = {
    debug: log,
    info: log,
    warn: (fields: Readonly<Record<string, unknown>>, message: string) =>
      void warnings.push({ fields, message }),
    error: log,
    child: () => logger,
  };
  return { logger, warnings };
}

describe("createSdNotifier", () => {
  it("delivers READY=1, WATCHDOG=1, STOPPING=1 and STATUS= to the notify socket, in order", async () => {
    const listener = await startListener();
    const { logger, warnings } = collectLogs();
    const notifier = createSdNotifier({
      env: { NOTIFY_SOCKET: listener.socket, PATH: process.env.PATH },
      logger,
    });
    expect(notifier.enabled).toBe(true);

    await Promise.all([
      notifier.ready(),
      notifier.watchdog(),
      notifier.stopping(),
      notifier.status("3 paths, 1 down"),
    ]);

    expect(await listener.messages(4)).toEqual([
      "READY=1",
      "WATCHDOG=1",
      "STOPPING=1",
      "STATUS=3 paths, 1 down",
    ]);
    // Each message is followed by systemd-notify's barrier, which kept the sender alive until
    // the manager had read it (the race sd_notify(3) warns about for helper processes).
    expect(listener.received.filter((d) => d.data === "BARRIER=1").map((d) => d.fds)).toEqual([1, 1, 1, 1]);
    expect(warnings).toEqual([]);
  });

  it("sends READY with a status in one datagram and keeps the status on one line", async () => {
    const listener = await startListener();
    const notifier = createSdNotifier({ env: { NOTIFY_SOCKET: listener.socket, PATH: process.env.PATH } });
    await notifier.ready("connected\nto hub");
    await notifier.status("line one\r\nline two");
    expect(await listener.messages(2)).toEqual([
      "READY=1\nSTATUS=connected to hub",
      "STATUS=line one line two",
    ]);
  });

  it("reaches an abstract notify socket", async () => {
    const listener = await startListener(`@mtx-sd-notify-test-${process.pid}-${Date.now()}`);
    const notifier = createSdNotifier({ env: { NOTIFY_SOCKET: listener.socket, PATH: process.env.PATH } });
    await notifier.watchdog();
    expect(await listener.messages(1)).toEqual(["WATCHDOG=1"]);
  });

  it("does nothing without NOTIFY_SOCKET: no process started, nothing thrown", async () => {
    const { logger, warnings } = collectLogs();
    // A helper that cannot exist: if anything were spawned, its failure would be logged.
    const notifier = createSdNotifier({
      env: { WATCHDOG_USEC: "30000000" },
      command: "/nonexistent/notify",
      logger,
    });
    expect(notifier.enabled).toBe(false);
    expect(notifier.watchdogIntervalMs).toBeNull();
    await Promise.all([notifier.ready(), notifier.watchdog(), notifier.stopping(), notifier.status("x")]);
    expect(warnings).toEqual([]);
  });

  it("logs, and does not throw, when the socket is gone or the helper is missing", async () => {
    const { logger, warnings } = collectLogs();
    const env = { NOTIFY_SOCKET: "/nonexistent/notify.sock", PATH: process.env.PATH };
    await createSdNotifier({ env, logger }).ready();
    await createSdNotifier({ env, logger, command: "/nonexistent/systemd-notify" }).watchdog();
    expect(warnings.map((w) => [w.message, w.fields.fields, w.fields.reason])).toEqual([
      ["could not notify systemd", ["READY=1"], "Failed to notify init system: No such file or directory"],
      ["could not notify systemd", ["WATCHDOG=1"], "spawn /nonexistent/systemd-notify ENOENT"],
    ]);
  });
});

describe("watchdogIntervalFromEnv", () => {
  it("is half of WATCHDOG_USEC, in ms", () => {
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "30000000" }, 42)).toBe(15_000);
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "42" }, 42)).toBe(15_000);
    expect(
      createSdNotifier({ env: { NOTIFY_SOCKET: "/run/x", WATCHDOG_USEC: "5000000" } }).watchdogIntervalMs,
    ).toBe(2_500);
  });

  it("is null when unset, invalid, zero, or meant for another PID", () => {
    expect(watchdogIntervalFromEnv({}, 42)).toBeNull();
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "30s" }, 42)).toBeNull();
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "0" }, 42)).toBeNull();
    expect(watchdogIntervalFromEnv({ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "7" }, 42)).toBeNull();
  });
});
