import { describe, expect, it } from "vitest";
import { ConfBuilder } from "./conf-builder.ts";
import { ConfOps } from "./conf-ops.ts";
import { mergedPathConf } from "./merged-path-conf.ts";

const load = (yml: string, v: "v1.20.1" | "v1.9.3" = "v1.20.1") => ConfBuilder.fromYaml(yml, v);
const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
};

describe("ConfBuilder.fromYaml", () => {
  it("decodes a yml onto MediaMTX defaults, with no paths unless listed", () => {
    const conf = load("logLevel: debug\nreadTimeout: 60s\napiTrustedProxies: [10.1.2.3]\n");
    expect(conf.global.logLevel).toBe("debug");
    expect(conf.global.readTimeout).toBe("1m0s");
    expect(conf.global.apiTrustedProxies).toEqual(["10.1.2.3/32"]);
    expect(conf.global.api).toBe(false);
    expect([...conf.paths.keys()]).toEqual([]);
  });

  it("applies MTX_* environment overrides on top of the file", () => {
    const conf = ConfBuilder.fromYaml("logLevel: warn\npaths:\n  cam: {}\n", "v1.20.1", {
      MTX_LOGLEVEL: "debug",
      MTX_RTMP: "no",
      MTX_APITRUSTEDPROXIES: "10.0.0.1,10.0.0.2",
      MTX_PATHDEFAULTS_MAXREADERS: "4",
      MTX_PATHS_CAM_RECORD: "yes",
    });
    expect([conf.global.logLevel, conf.global.rtmp, conf.global.apiTrustedProxies]).toEqual([
      "debug",
      false,
      ["10.0.0.1/32", "10.0.0.2/32"],
    ]);
    expect([conf.pathDefaults.maxReaders, conf.paths.get("cam")]).toEqual([4, { record: true }]);
  });

  it("rejects unknown keys, also nested ones", () => {
    expect(message(() => load("foo: 1\n"))).toBe('json: unknown field "foo"');
    expect(message(() => load("authInternalUsers:\n  - user: a\n    users: b\n"))).toBe(
      'json: unknown field "users"',
    );
    expect(message(() => load("paths:\n  cam:\n    sorce: x\n"))).toBe('json: unknown field "sorce"');
  });

  it("rejects keys of other versions", () => {
    expect(message(() => load("pathDefaults:\n  runOnAvailable: x\n", "v1.9.3"))).toBe(
      'json: unknown field "runOnAvailable"',
    );
    expect(load("pathDefaults:\n  runOnReady: x\n", "v1.9.3").pathDefaults.runOnReady).toBe("x");
  });

  it.each([
    ["paths:\n  /cam: {}\n", "invalid path name '/cam': can't begin with a slash"],
    ["paths:\n  cam/: {}\n", "invalid path name 'cam/': can't end with a slash"],
    ["paths:\n  a/../b: {}\n", "invalid path name 'a/../b': can't contain dot path segments"],
    [
      "paths:\n  'a b': {}\n",
      "invalid path name 'a b': can contain only alphanumeric characters, underscore, dot, minus, slash",
    ],
    ["paths:\n  all: {}\n  all_others: {}\n", "all_others, all and '~^.*$' are aliases"],
    ["paths:\n  cam:\n    source: foo\n", "invalid source: 'foo'"],
    ["paths:\n  cam:\n    sourceOnDemand: yes\n", "'sourceOnDemand' is useless when source is 'publisher'"],
    [
      "paths:\n  '~^c$':\n    source: rtsp://x/y\n",
      "a path with a regular expression (or path 'all_others') and a static source must have 'sourceOnDemand' set to true",
    ],
    [
      "paths:\n  all_others:\n    runOnInit: echo\n",
      "a path with a regular expression (or path 'all_others') does not support option 'runOnInit'; use another path",
    ],
    ["paths:\n  cam:\n    recordPath: ./r/%Y\n", "'recordPath' must contain %path"],
    [
      "paths:\n  cam:\n    recordPath: ./r/%path/%Y\n",
      "'recordPath' must contain either %s or %Y %m %d %H %M %S",
    ],
    ["playback: yes\npaths:\n  cam:\n    recordPath: ./r/%path/%s\n", "'recordPath' must contain %f"],
    [
      "paths:\n  cam:\n    recordSegmentDuration: 25h\n    recordDeleteAfter: 0s\n",
      "maximum segment duration is 1 day",
    ],
    [
      "paths:\n  cam:\n    recordDeleteAfter: 10m\n",
      "'recordDeleteAfter' cannot be lower than 'recordSegmentDuration'",
    ],
    [
      "paths:\n  cam:\n    srtPublishPassphrase: short\n",
      "invalid 'srtPublishPassphrase': must be between 10 and 79 characters",
    ],
    ["paths:\n  cam:\n    source: redirect\n", "source redirect must be filled"],
    [
      "paths:\n  cam:\n    sourceRedirect: rtsp://x\n",
      "'sourceRedirect' is useless when source is not 'redirect'",
    ],
    [
      "paths:\n  all_others:\n    alwaysAvailable: yes\n",
      "'alwaysAvailable' cannot be used in a path with a regular expression (or path 'all_others')",
    ],
    ["paths:\n  cam:\n    source: rtsp://u@h/p\n", "username and password must be both provided"],
    [
      "paths:\n  cam:\n    source: rtsp://h/p\n    runOnDemand: x\n",
      "'runOnDemand' and 'runOnUnDemand' can be used only when source is 'publisher'",
    ],
  ])("rejects %j with MediaMTX's message", (yml, expected) => {
    expect(message(() => load(yml))).toBe(expected);
  });
});

describe("ConfOps", () => {
  const base = load("paths:\n  cam:\n    maxReaders: 3\n");

  it("patch merges into overrides and null leaves a key unchanged", () => {
    const next = ConfOps.patchPath(base, "cam", { record: true, maxReaders: null });
    expect(next.paths.get("cam")).toEqual({ maxReaders: 3, record: true });
  });

  it("replace swaps the overrides and is an upsert", () => {
    expect(ConfOps.replacePath(base, "cam", { record: true }).paths.get("cam")).toEqual({ record: true });
    expect(ConfOps.replacePath(base, "new", {}).paths.has("new")).toBe(true);
  });

  it("add refuses an existing name and delete/patch a missing one", () => {
    expect(message(() => ConfOps.addPath(base, "cam", {}))).toBe("path already exists");
    expect(message(() => ConfOps.deletePath(base, "nope"))).toBe("path not found");
    expect(message(() => ConfOps.patchPath(base, "nope", {}))).toBe("path not found");
  });

  it("pathDefaults changes reach every path that does not override the key", () => {
    const next = ConfOps.patchPathDefaults(base, { maxReaders: 9, record: true });
    expect(mergedPathConf(next, "cam")?.maxReaders).toBe(3);
    expect(mergedPathConf(next, "cam")?.record).toBe(true);
  });

  it("global patch refuses pathDefaults/paths keys", () => {
    expect(message(() => ConfOps.patchGlobal(base, { paths: {} }))).toBe('json: unknown field "paths"');
  });
});
