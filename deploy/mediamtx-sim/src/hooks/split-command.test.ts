import { MtxError } from "@mtx-fleet/plugin-api";
import { describe, expect, it } from "vitest";
import { splitCommand } from "./split-command.ts";

describe("splitCommand (go-shellquote Split)", () => {
  it.each([
    ["ffmpeg -i rtsp://x/y -c copy out.mp4", ["ffmpeg", "-i", "rtsp://x/y", "-c", "copy", "out.mp4"]],
    ["  a \t b\nc  ", ["a", "b", "c"]],
    ["'single quoted' \"double quoted\"", ["single quoted", "double quoted"]],
    ["a'b c'd", ["ab cd"]],
    ["'it''s'", ["its"]],
    ["'no \\escape \"here\"'", ['no \\escape "here"']],
    ['"\\$HOME \\` \\" \\\\ \\n"', ['$HOME ` " \\ \\n']],
    ["back\\ slash \\'q\\'", ["back slash", "'q'"]],
    ["line\\\ncontinued", ["linecontinued"]],
    ['"keeps\\\nnothing"', ["keepsnothing"]],
    ["\\\n a", ["a"]],
    [
      "echo $(rm -rf /) && ls | wc > f *",
      ["echo", "$(rm", "-rf", "/)", "&&", "ls", "|", "wc", ">", "f", "*"],
    ],
    ["curl http://h/x?a=1&b=2", ["curl", "http://h/x?a=1&b=2"]],
    ["\"\" ''", ["", ""]],
    ["", []],
    ["héllo wörld", ["héllo", "wörld"]],
  ])("splits %j", (input, expected) => {
    expect(splitCommand(input)).toEqual(expected);
  });

  it.each([
    ["echo 'open", "Unterminated single-quoted string"],
    ['echo "open', "Unterminated double-quoted string"],
    ['echo "open\\', "Unterminated double-quoted string"],
    ["echo trailing\\", "Unterminated backslash-escape"],
  ])("rejects %j with MTX_INVALID_INPUT", (input, message) => {
    let caught: unknown;
    try {
      splitCommand(input);
    } catch (e) {
      caught = e;
    }
    expect(MtxError.is(caught, "MTX_INVALID_INPUT")).toBe(true);
    expect((caught as Error).message).toBe(message);
  });
});
