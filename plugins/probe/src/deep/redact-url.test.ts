import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact-url.ts";

describe("redactUrl", () => {
  it("drops credentials and masks every query value, keeping the rest of the URL", () => {
    expect(
      [
        "rtsp://user:secret@cam.example:8554/live/1",
        "https://cdn.example/live/index.m3u8?jwt=eyJabc&session=1&session=2",
        new URL("srt://10.0.0.5:9000?streamid=publish:key&passphrase=0123456789"),
        "rtmp://host/app/stream",
        "not a url",
      ].map((url) => redactUrl(url)),
    ).toEqual([
      "rtsp://cam.example:8554/live/1",
      "https://cdn.example/live/index.m3u8?jwt=***&session=***",
      "srt://10.0.0.5:9000?streamid=***&passphrase=***",
      "rtmp://host/app/stream",
      "(unparsable URL)",
    ]);
  });
});
