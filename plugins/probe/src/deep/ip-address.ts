import { isIPv4, isIPv6 } from "node:net";

/** An IP address as bytes (4 or 16). */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/**
 * One part of an inet_aton address: decimal, octal (`0` prefix) or hex (`0x`). glibc's
 * getaddrinfo accepts these forms (`0x7f.1`, `2130706433`, `0177.0.0.1`), so ffmpeg would
 * connect to 127.0.0.1 for them: the check must read them the same way.
 */
function atonPart(text: string): number | undefined {
  if (/^0x[0-9a-f]*$/i.test(text)) return text.length === 2 ? 0 : Number.parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return Number.parseInt(text, 8);
  if (/^[1-9]\d*$/.test(text)) return Number(text);
  return undefined;
}

/** IPv4 in any inet_aton form (`a`, `a.b`, `a.b.c`, `a.b.c.d`), or undefined. */
export function parseIpv4Loose(text: string): IpAddress | undefined {
  const parts = text.split(".");
  if (parts.length > 4 || parts.some((p) => p === "")) return undefined;
  const values = parts.map(atonPart);
  if (values.some((v) => v === undefined)) return undefined;
  const nums = values as number[];
  const last = nums.at(-1) ?? 0;
  const head = nums.slice(0, -1);
  if (head.some((v) => v > 255) || last >= 256 ** (5 - nums.length)) return undefined;
  let value = last;
  head.forEach((v, i) => {
    value += v * 256 ** (3 - i);
  });
  return {
    family: 4,
    bytes: new Uint8Array([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]),
  };
}

function parseIpv6(text: string): IpAddress | undefined {
  const zoneless = text.replace(/%.*$/, "");
  if (!isIPv6(zoneless)) return undefined;
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) becomes its two hex groups.
  const hex = zoneless.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_, a, b, c, d) =>
      `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [left = "", right] = hex.split("::");
  const l = left === "" ? [] : left.split(":");
  const r = right === undefined || right === "" ? [] : right.split(":");
  const groups =
    right === undefined ? l : [...l, ...new Array<string>(8 - l.length - r.length).fill("0"), ...r];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 255;
  });
  return { family: 6, bytes };
}

/** Parses an IP literal (IPv6 with or without brackets, IPv4 in inet_aton forms). */
export function parseIpAddress(text: string): IpAddress | undefined {
  const t = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (t.includes(":")) return parseIpv6(t);
  return isIPv4(t) ? parseIpv4Loose(t) : parseIpv4Loose(t.toLowerCase());
}

/** Text ffmpeg and Node accept: dotted quad, or eight hex groups for IPv6. */
export function formatIpAddress(ip: IpAddress): string {
  if (ip.family === 4) return [...ip.bytes].join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0)).toString(16));
  return groups.join(":");
}

/** An IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.family !== 6) return undefined;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 10) && b[10] === 0xff && b[11] === 0xff;
  const compatible = zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] === 1);
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12);
  if (mapped || compatible || nat64) return { family: 4, bytes: b.slice(12, 16) };
  if (b[0] === 0x20 && b[1] === 0x02) return { family: 4, bytes: b.slice(2, 6) };
  return undefined;
}

/** A CIDR network (`10.0.0.0/8`, `fd00::/8`, or one address). */
export interface IpNetwork {
  readonly base: IpAddress;
  readonly prefix: number;
}

/** Parses `addr/prefix` or a bare address; undefined when malformed. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const [addr = "", prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const base = parseIpAddress(addr);
  if (base === undefined) return undefined;
  const max = base.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || !/^\d*$/.test(prefixText ?? ""))
    return undefined;
  return { base, prefix };
}

/** True when `ip` lies in `net` (an IPv4 network also matches the IPv4 inside an IPv6 address). */
export function inNetwork(ip: IpAddress, net: IpNetwork): boolean {
  const candidate = ip.family === net.base.family ? ip : ip.family === 6 ? embeddedIpv4(ip) : undefined;
  if (candidate === undefined) return false;
  const full = Math.floor(net.prefix / 8);
  for (let i = 0; i < full; i++) if (candidate.bytes[i] !== net.base.bytes[i]) return false;
  const bits = net.prefix % 8;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((candidate.bytes[full] ?? 0) & mask) === ((net.base.bytes[full] ?? 0) & mask);
}
