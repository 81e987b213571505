import { describe, expect, it } from "vitest";
import { embeddedIpv4, formatIpAddress, inNetwork, parseIpAddress, parseIpNetwork } from "./ip-address.ts";

const text = (s: string) => {
  const ip = parseIpAddress(s);
  return ip === undefined ? undefined : formatIpAddress(ip);
};

describe("parseIpAddress", () => {
  it("reads IPv4 in every inet_aton form the system resolver accepts", () => {
    expect(
      ["127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "0X7F.0.0.1"].map(
        text,
      ),
    ).toEqual(new Array(8).fill("127.0.0.1"));
    expect(text("10.0x10.1")).toBe("10.16.0.1");
  });

  it("refuses what is not an address", () => {
    expect(
      ["256.0.0.1", "1.2.3.4.5", "4294967296", "08.0.0.1", "example.com", "1..2", "", "0x"].map(text),
    ).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, "0.0.0.0"]);
  });

  it("reads IPv6, with brackets, a zone, or a dotted IPv4 tail", () => {
    expect(text("::1")).toBe("0:0:0:0:0:0:0:1");
    expect(text("[fe80::1%eth0]")).toBe("fe80:0:0:0:0:0:0:1");
    expect(text("::ffff:127.0.0.1")).toBe("0:0:0:0:0:ffff:7f00:1");
    expect(text("2001:db8::8:800:200c:417a")).toBe("2001:db8:0:0:8:800:200c:417a");
    expect(text("1:2:3:4:5:6:7:8:9")).toBeUndefined();
  });
});

describe("embeddedIpv4", () => {
  it("finds the IPv4 address in mapped, compatible, NAT64 and 6to4 forms", () => {
    const inner = (s: string) => {
      const ip = parseIpAddress(s);
      const v4 = ip === undefined ? undefined : embeddedIpv4(ip);
      return v4 === undefined ? undefined : formatIpAddress(v4);
    };
    expect(
      ["::ffff:7f00:1", "::127.0.0.1", "64:ff9b::a00:1", "2002:c0a8:101::1", "::1", "2001:db8::1"].map(inner),
    ).toEqual(["127.0.0.1", "127.0.0.1", "10.0.0.1", "192.168.1.1", undefined, undefined]);
  });
});

describe("inNetwork", () => {
  it("matches CIDR prefixes, bare addresses and IPv4 networks for mapped addresses", () => {
    const net = (s: string) => parseIpNetwork(s) ?? expect.fail(`bad network ${s}`);
    const ip = (s: string) => parseIpAddress(s) ?? expect.fail(`bad address ${s}`);
    expect(inNetwork(ip("172.31.255.255"), net("172.16.0.0/12"))).toBe(true);
    expect(inNetwork(ip("172.32.0.0"), net("172.16.0.0/12"))).toBe(false);
    expect(inNetwork(ip("10.1.2.3"), net("10.1.2.3"))).toBe(true);
    expect(inNetwork(ip("::ffff:10.1.2.3"), net("10.0.0.0/8"))).toBe(true);
    expect(inNetwork(ip("fd12::1"), net("fc00::/7"))).toBe(true);
    expect(inNetwork(ip("10.0.0.1"), net("fc00::/7"))).toBe(false);
    expect(["10.0.0.0/33", "10.0.0.0/x", "nonsense/8", "1.2.3.4/8/9"].map(parseIpNetwork)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
