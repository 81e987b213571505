import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./error-codes.ts";

const docPath = join(import.meta.dirname, "..", "..", "..", "docs", "errors.md");

/** The rows of the table in docs/errors.md, as [code, meaning, action]. */
function documentedRows(): string[][] {
  return readFileSync(docPath, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("| `MTX_"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.trim()),
    );
}

describe("error codes", () => {
  it("are all documented in docs/errors.md with the same meaning and action, in order", () => {
    const expected = Object.entries(ERROR_CODES).map(([code, { meaning, action }]) => [
      `\`${code}\``,
      meaning,
      action,
    ]);
    expect(documentedRows()).toEqual(expected);
  });

  it("all start with MTX_ and are upper snake case", () => {
    const bad = Object.keys(ERROR_CODES).filter((code) => !/^MTX_[A-Z0-9]+(_[A-Z0-9]+)*$/.test(code));
    expect(bad).toEqual([]);
  });
});
