import { describe, expect, it } from "vitest";
import { DEFAULT_RECEIVER_URL, DEFAULT_SPOOL_DIR, DEFAULT_TOKEN_FILE } from "../hook-defaults.ts";
import { parseWrapperArgs } from "./wrapper-options.ts";

describe("parseWrapperArgs", () => {
  it("takes flags over MTX_HOOK_* variables over the plugin's defaults", () => {
    expect(parseWrapperArgs(["ready"], {})).toEqual({
      kind: "run",
      options: {
        hook: "ready",
        url: DEFAULT_RECEIVER_URL,
        token: undefined,
        tokenFile: DEFAULT_TOKEN_FILE,
        spoolDir: DEFAULT_SPOOL_DIR,
        timeoutMs: 2000,
        extraVars: [],
      },
    });
    const env = {
      MTX_HOOK_URL: "http://127.0.0.1:1/",
      MTX_HOOK_TOKEN: "from-env-0123456789",
      MTX_HOOK_TOKEN_FILE: "/env/token",
      MTX_HOOK_SPOOL_DIR: "/env/spool",
      MTX_HOOK_TIMEOUT_MS: "500",
    };
    expect(
      parseWrapperArgs(
        ["read", "--url", "http://[::1]:2", "--spool-dir", "/flag/spool", "--var", "MTX_NEW"],
        env,
      ),
    ).toEqual({
      kind: "run",
      options: {
        hook: "read",
        url: "http://[::1]:2",
        token: "from-env-0123456789",
        tokenFile: "/env/token",
        spoolDir: "/flag/spool",
        timeoutMs: 500,
        extraVars: ["MTX_NEW"],
      },
    });
  });

  it("names the mistake, and keeps where to spool when the event itself is known", () => {
    expect(parseWrapperArgs([], {})).toEqual({
      kind: "usage-error",
      message: "name the event, e.g. 'mtx-hook ready'",
    });
    expect(parseWrapperArgs(["redy"], {})).toEqual({ kind: "usage-error", message: "unknown event 'redy'" });
    expect(parseWrapperArgs(["ready", "--timeout-ms", "0"], { MTX_HOOK_SPOOL_DIR: "/s" })).toEqual({
      kind: "usage-error",
      message: "timeout must be 1..60000 ms, not '0'",
      spool: { hook: "ready", spoolDir: "/s" },
    });
    expect(parseWrapperArgs(["ready", "--url", "https://agent:1"], {})).toMatchObject({
      message: "the agent URL must be http://host:port, not 'https://agent:1'",
      spool: { hook: "ready", spoolDir: DEFAULT_SPOOL_DIR },
    });
    expect(parseWrapperArgs(["ready", "--bogus"], {})).toMatchObject({ kind: "usage-error" });
    expect(parseWrapperArgs(["--help"], {})).toEqual({ kind: "help" });
  });
});
