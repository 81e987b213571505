import { describe, expect, it } from "vitest";
import { findRedactedSecrets } from "./find-redacted-secrets.ts";

describe("findRedactedSecrets", () => {
  it("finds the placeholder in password fields and anywhere else", () => {
    expect(
      findRedactedSecrets({
        publishPass: "<redacted>",
        readPass: "real",
        authInternalUsers: [
          { user: "a", pass: "x" },
          { user: "b", pass: "<redacted>" },
        ],
        source: "rtsp://u:<redacted>@cam/stream",
      }),
    ).toEqual(["publishPass", "authInternalUsers[1].pass", "source"]);
  });

  it("accepts bodies without it", () => {
    expect(findRedactedSecrets({ readPass: "redacted", record: true, forward: [] })).toEqual([]);
    expect(findRedactedSecrets(undefined)).toEqual([]);
  });
});
