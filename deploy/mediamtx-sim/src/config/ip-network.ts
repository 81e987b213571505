import { isIPv4, isIPv6 } from "node:net";

/** MediaMTX `conf.IPNetworks` entries: IPs or CIDRs, rendered back as CIDR. */
export const IpNetwork = {
  /** Normalises `"127.0.0.1"` → `"127.0.0.1/32"`, `"10.1.2.3/8"` → `"10.0.0.0/8"`. */
  normalise(text: string): string {
    const err = new Error(`unable to parse IP/CIDR '${text}'`);
    const [ip = "", bits] = text.split("/");
    const v4 = isIPv4(ip);
    if (!v4 && !isIPv6(ip)) throw err;
    const max = v4 ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || bits === "") throw err;
    const masked = mask(toBigInt(ip, v4), prefix, max);
    return `${fromBigInt(masked, v4)}/${prefix}`;
  },
  /** True when `ip` lies inside `cidr` (both already valid). */
  contains(cidr: string, ip: string): boolean {
    const [net = "", bits = "0"] = cidr.split("/");
    let addr = ip.startsWith("::ffff:") && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
    if (isIPv4(net) !== isIPv4(addr)) {
      if (!isIPv4(net)) return false;
      addr = ip;
      if (!isIPv4(addr)) return false;
    }
    const v4 = isIPv4(net);
    const max = v4 ? 32 : 128;
    return mask(toBigInt(addr, v4), Number(bits), max) === toBigInt(net, v4);
  },
};

function mask(value: bigint, prefix: number, max: number): bigint {
  const m = ((1n << BigInt(prefix)) - 1n) << BigInt(max - prefix);
  return value & m;
}

function toBigInt(ip: string, v4: boolean): bigint {
  if (v4) return ip.split(".").reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
  let parts = ip.split("::");
  const head = parts[0] ? parts[0].split(":") : [];
  const tail = parts[1] ? parts[1].split(":") : [];
  const last = tail.length > 0 ? tail[tail.length - 1] : head[head.length - 1];
  let extra: string[] = [];
  if (last !== undefined && isIPv4(last)) {
    const n = toBigInt(last, true);
    extra = [(n >> 16n).toString(16), (n & 0xffffn).toString(16)];
    if (tail.length > 0) tail.pop();
    else head.pop();
  }
  parts =
    parts.length > 1
      ? [...head, ...Array(8 - head.length - tail.length - extra.length).fill("0"), ...tail]
      : head;
  return [...parts, ...extra].reduce((acc, p) => (acc << 16n) | BigInt(Number.parseInt(p || "0", 16)), 0n);
}

function fromBigInt(value: bigint, v4: boolean): string {
  if (v4) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 255n).toString()).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  // Go compresses the longest run (≥2) of zero groups.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}
