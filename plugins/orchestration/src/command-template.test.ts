import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { checkPlaceholders, parseArgTemplate, renderArgv } from "./command-template.ts";

const argv = (templates: string[], values: Record<string, string>) =>
  renderArgv(templates.map(parseArgTemplate), values);

describe("command templates", () => {
  it("substitutes placeholders per argument, once, never re-reading a value", () => {
    expect(
      argv(["ffmpeg", "-i", "{rtmpUrl}/live/{streamId}/in", "{{literal}}", "-metadata", "q={query}"], {
        rtmpUrl: "rtmp://127.0.0.1:1935",
        streamId: "s1",
        query: "{streamId};$(rm -rf /)`id` && echo",
      }),
    ).toEqual([
      "ffmpeg",
      "-i",
      "rtmp://127.0.0.1:1935/live/s1/in",
      "{literal}",
      "-metadata",
      "q={streamId};$(rm -rf /)`id` && echo",
    ]);
  });

  it("lists the placeholders a template uses and names the unknown ones", () => {
    expect(parseArgTemplate("{a}/{b}/{a}").names).toEqual(["a", "b"]);
    const templates = ["{path}", "{nope}", "{other}"].map(parseArgTemplate);
    expect(() => checkPlaceholders("rules.0.command", templates, ["path", "query"])).toThrow(
      "rules.0.command uses unknown placeholders {nope}, {other} (known: {path}, {query})",
    );
  });

  it("refuses an argument that a value would turn into an option, or one with a NUL byte", () => {
    const inject = () => argv(["worker", "{query}"], { query: "-y" });
    expect(inject).toThrow(MtxError);
    expect(inject).toThrow("argument 1 ('{query}') would start with '-' and be read as an option");
    expect(() => argv(["worker", "--name={query}"], { query: "-x" })).not.toThrow();
    expect(() => argv(["worker", "a{query}"], { query: "\0" })).toThrow("contains a NUL byte");
  });

  it.each([
    ["{a", "has a '{' without '}'"],
    ["a}", "has a '}' without '{'"],
    ["{a-b}", "has an invalid placeholder '{a-b}'"],
  ])("refuses the template %j", (source, problem) => {
    expect(() => parseArgTemplate(source)).toThrow(problem);
  });
});
