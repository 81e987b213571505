import { embeddedIpv4, type IpAddress, type IpNetwork, inNetwork, parseIpNetwork } from "./ip-address.ts";

/** Why an address is not on the public internet; `public` when it is. */
export type AddressClass =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "shared"
  | "link-local"
  | "multicast"
  | "broadcast"
  | "reserved";

const TABLE: readonly (readonly [string, Exclude<AddressClass, "public">])[] = [
  ["0.0.0.0/8", "unspecified"],
  ["127.0.0.0/8", "loopback"],
  ["10.0.0.0/8", "private"],
  ["172.16.0.0/12", "private"],
  ["192.168.0.0/16", "private"],
  ["100.64.0.0/10", "shared"],
  ["169.254.0.0/16", "link-local"],
  ["192.0.0.0/24", "reserved"],
  ["198.18.0.0/15", "reserved"],
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"],
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["fc00::/7", "private"],
  ["fec0::/10", "private"],
  ["fe80::/10", "link-local"],
  ["ff00::/8", "multicast"],
];

const NETWORKS: readonly (readonly [IpNetwork, Exclude<AddressClass, "public">])[] = TABLE.map(
  ([text, kind]) => {
    const net = parseIpNetwork(text);
    if (net === undefined) throw new Error(`bad network ${text}`);
    return [net, kind] as const;
  },
);

/**
 * The class of `ip`: loopback, private (RFC 1918, unique-local), link-local, multicast… An IPv6
 * address that carries an IPv4 one (`::ffff:127.0.0.1`, `::127.0.0.1`, NAT64 `64:ff9b::/96`,
 * 6to4 `2002::/16`) has the class of the IPv4 address inside.
 */
export function classifyAddress(ip: IpAddress): AddressClass {
  const inner = embeddedIpv4(ip);
  if (inner !== undefined) return classifyAddress(inner);
  for (const [net, kind] of NETWORKS) {
    if (net.base.family === ip.family && inNetwork(ip, net)) return kind;
  }
  return "public";
}
