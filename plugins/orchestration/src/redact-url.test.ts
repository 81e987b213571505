import { describe, expect, it } from "vitest";
import { createRedactor, redactUrl } from "./redact-url.ts";

describe("redactUrl", () => {
  it.each([
    ["rtmp://user:pass@host/app/key", "rtmp://user:***@host/app/***"],
    ["rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop", "rtmp://a.rtmp.youtube.com/live2/***"],
    [
      "rtmps://live-api-s.facebook.com:443/rtmp/FB-123?s_bl=1&s_sc=2",
      "rtmps://live-api-s.facebook.com:443/rtmp/***?s_bl=***&s_sc=***",
    ],
    ["rtmp://host/app", "rtmp://host/app"],
    ["rtmp://host:1935", "rtmp://host:1935"],
    ["rtmp://user@host/app/k/more", "rtmp://user@host/app/***"],
    [
      "srt://host:9000?streamid=publish:live&passphrase=secret",
      "srt://host:9000?streamid=***&passphrase=***",
    ],
    ["https://u:p@example.com/whip/room?token", "https://u:***@example.com/whip/room?***"],
    ["rtmp://user:p%40ss@host/app/key#frag", "rtmp://user:***@host/app/***"],
    ["not a url", "not a url"],
    ["/local/file.flv", "/local/file.flv"],
  ])("%s → %s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe("createRedactor", () => {
  it("redacts the secret URLs, passwords of any URL, their keys printed alone, and given texts", () => {
    const redact = createRedactor(
      ["rtmp://user:hunter22@dest.example/live2/abcd-efgh-ijkl"],
      ["tok3n-value"],
    );
    expect(
      redact(
        "Output #0, flv, to 'rtmp://user:hunter22@dest.example/live2/abcd-efgh-ijkl': key abcd-efgh-ijkl " +
          "pass hunter22 input rtmp://127.0.0.1:1935/live/s1/out other rtsp://x:y@cam/1 query token=tok3n-value",
      ),
    ).toBe(
      "Output #0, flv, to 'rtmp://user:***@dest.example/live2/***': key *** pass *** " +
        "input rtmp://127.0.0.1:1935/live/s1/out other rtsp://x:***@cam/1 query token=***",
    );
  });

  it("redacts the key of any RTMP URL of another machine, and keeps local stream paths readable", () => {
    const redact = createRedactor([]);
    expect(
      redact(
        "-i rtmp://127.0.0.1:1935/live/s1/in -f flv rtmp://a.rtmp.youtube.com/live2/abcd-efgh " +
          "rtmp://localhost/live/x rtmp://[::1]:1935/live/y rtsp://cam.example/stream1",
      ),
    ).toBe(
      "-i rtmp://127.0.0.1:1935/live/s1/in -f flv rtmp://a.rtmp.youtube.com/live2/*** " +
        "rtmp://localhost/live/x rtmp://[::1]:1935/live/y rtsp://cam.example/stream1",
    );
  });
});
