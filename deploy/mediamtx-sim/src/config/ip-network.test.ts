import { describe, expect, it } from "vitest";
import { ByteSize } from "./byte-size.ts";
import { IpNetwork } from "./ip-network.ts";

describe("IpNetwork", () => {
  it("re-renders IPs and CIDRs as masked CIDR", () => {
    expect(["127.0.0.1", "10.1.2.3/8", "::1", "fe80::1/64"].map(IpNetwork.normalise)).toEqual([
      "127.0.0.1/32",
      "10.0.0.0/8",
      "::1/128",
      "fe80::/64",
    ]);
  });

  it("matches IPv4 clients, also IPv4-mapped IPv6", () => {
    expect(IpNetwork.contains("127.0.0.1/32", "127.0.0.1")).toBe(true);
    expect(IpNetwork.contains("10.0.0.0/8", "::ffff:10.2.3.4")).toBe(true);
    expect(IpNetwork.contains("127.0.0.1/32", "10.0.0.1")).toBe(false);
  });

  it("rejects non-addresses", () => {
    expect(() => IpNetwork.normalise("localhost")).toThrow("unable to parse IP/CIDR 'localhost'");
  });
});

describe("ByteSize", () => {
  it("round-trips bytefmt sizes", () => {
    expect(
      ["50M", "50MB", "1.5G", "100"].map((s) => (s === "100" ? s : ByteSize.format(ByteSize.parse(s)))),
    ).toEqual(["50M", "50M", "1.5G", "100"]);
    expect(() => ByteSize.parse("100")).toThrow("byte quantity must be a positive integer");
  });
});
