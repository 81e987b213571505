import { describe, expect, it } from "vitest";
import { classifyAddress } from "./classify-address.ts";
import { parseIpAddress } from "./ip-address.ts";

describe("classifyAddress", () => {
  it("names the class of every non-public range and passes public addresses", () => {
    const cases: Record<string, string> = {
      "0.0.0.0": "unspecified",
      "127.0.0.1": "loopback",
      "127.255.255.254": "loopback",
      "10.20.30.40": "private",
      "172.16.0.1": "private",
      "172.31.255.255": "private",
      "192.168.1.1": "private",
      "100.64.0.1": "shared",
      "169.254.169.254": "link-local",
      "224.0.0.251": "multicast",
      "239.255.255.250": "multicast",
      "255.255.255.255": "broadcast",
      "240.0.0.1": "reserved",
      "::": "unspecified",
      "::1": "loopback",
      "fc00::1": "private",
      "fdab:cdef::1": "private",
      "fe80::1": "link-local",
      "ff02::1": "multicast",
      "::ffff:127.0.0.1": "loopback",
      "::ffff:a9fe:a9fe": "link-local",
      "64:ff9b::c0a8:1": "private",
      "2002:7f00:1::": "loopback",
      "8.8.8.8": "public",
      "172.32.0.1": "public",
      "2001:4860:4860::8888": "public",
      "::ffff:8.8.8.8": "public",
    };
    const got = Object.fromEntries(
      Object.keys(cases).map((a) => [a, classifyAddress(parseIpAddress(a) ?? expect.fail(a))]),
    );
    expect(got).toEqual(cases);
  });
});
