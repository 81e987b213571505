import { lookup } from "node:dns/promises";
import { MtxError } from "@mtx-fleet/plugin-api";
import { classifyAddress } from "./classify-address.ts";
import { formatIpAddress, type IpAddress, inNetwork, parseIpAddress, parseIpNetwork } from "./ip-address.ts";
import { redactUrl } from "./redact-url.ts";

/** Schemes an operator may probe by default. */
export const DEFAULT_PROBE_URL_SCHEMES: readonly string[] = Object.freeze([
  "rtsp",
  "rtsps",
  "rtmp",
  "rtmps",
  "http",
  "https",
  "srt",
]);

/** Ports ffmpeg uses when the URL names none. SRT has no default: a port is required. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  rtsp: 554,
  rtsps: 322,
  rtmp: 1935,
  rtmps: 443,
  http: 80,
  https: 443,
};

/** Resolves a host name to every address it has (like `dns.lookup(host, { all: true })`). */
export type ResolveHost = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

/** What a probe of an outside URL may reach. */
export interface ProbeUrlPolicy {
  /** Lower-case schemes without `:`; default `DEFAULT_PROBE_URL_SCHEMES`. */
  readonly allowSchemes?: readonly string[];
  /** CIDR networks (`10.1.0.0/16`, `fd00::/8`, one address) allowed although not public. */
  readonly allowNetworks?: readonly string[];
  readonly resolve?: ResolveHost;
}

/** A URL that passed the policy, pinned to the address that was checked. */
export interface CheckedProbeUrl {
  readonly url: URL;
  readonly scheme: string;
  readonly hostname: string;
  readonly port: number | null;
  /** Every address the host resolved to (all were checked). */
  readonly addresses: readonly string[];
  /** The address the probe connects to. */
  readonly address: string;
  /**
   * The URL with the host replaced by `address` (and the port made explicit), so ffmpeg does no
   * DNS lookup of its own and a rebinding DNS server cannot swap the address after the check.
   */
  readonly connectUrl: string;
}

const defaultResolve: ResolveHost = (hostname) => lookup(hostname, { all: true, order: "verbatim" });

/** The URL without credentials, for messages and logs. */
function refuse(url: URL, reason: string, message: string, details: Record<string, unknown> = {}): never {
  throw new MtxError("MTX_URL_FORBIDDEN", `probe of ${redactUrl(url)} refused: ${message}`, {
    details: { reason, url: redactUrl(url), ...details },
  });
}

/** Host names ffmpeg would read like we do: letters, digits, `-`, `_`, `.` (no `%`, no `\`). */
const HOSTNAME = /^[a-z0-9_.-]+$/i;

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch (e) {
    throw new MtxError("MTX_INVALID_INPUT", "the probe URL is not a valid URL", { cause: e });
  }
}

async function addressesOf(url: URL, host: string, resolve: ResolveHost): Promise<IpAddress[]> {
  const literal = parseIpAddress(host);
  if (literal !== undefined) return [literal];
  if (host.includes(":") || !HOSTNAME.test(host))
    refuse(url, "host", `host '${host}' is not a plain host name`);
  const found = await resolve(host).catch((e: unknown) => {
    throw new MtxError("MTX_PROBE_FAILED", `host '${host}' of the probe URL does not resolve`, { cause: e });
  });
  const parsed = found.map((a) => parseIpAddress(a.address));
  if (parsed.length === 0 || parsed.some((a) => a === undefined)) {
    throw new MtxError("MTX_PROBE_FAILED", `host '${host}' of the probe URL resolved to no usable address`);
  }
  return parsed as IpAddress[];
}

/**
 * Checks a URL an operator asked to probe: scheme on the allow-list, and the host — an IP in any
 * form ffmpeg's resolver accepts, or a name resolved to ALL its addresses — must not reach
 * loopback, private, link-local, unspecified, multicast or reserved space unless a network in
 * `allowNetworks` holds it. Throws `MTX_URL_FORBIDDEN` (details.reason: `scheme`, `host`,
 * `address`) or `MTX_INVALID_INPUT` / `MTX_PROBE_FAILED` (malformed / unresolvable).
 */
export async function checkProbeUrl(text: string, policy: ProbeUrlPolicy = {}): Promise<CheckedProbeUrl> {
  const { allowSchemes = DEFAULT_PROBE_URL_SCHEMES, allowNetworks = [], resolve = defaultResolve } = policy;
  const url = parseUrl(text);
  const scheme = url.protocol.replace(/:$/, "").toLowerCase();
  if (!allowSchemes.includes(scheme)) {
    refuse(url, "scheme", `scheme '${scheme}' is not allowed (allowed: ${allowSchemes.join(", ")})`, {
      scheme,
    });
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (hostname === "") refuse(url, "host", "the URL has no host");
  const networks = allowNetworks.map((n) => {
    const net = parseIpNetwork(n);
    if (net === undefined)
      throw new MtxError("MTX_INVALID_INPUT", `allowNetworks: '${n}' is not a CIDR network`);
    return net;
  });
  const addresses = await addressesOf(url, hostname, resolve);
  for (const ip of addresses) {
    const kind = classifyAddress(ip);
    if (kind === "public" || networks.some((n) => inNetwork(ip, n))) continue;
    const address = formatIpAddress(ip);
    const via = address === hostname ? `address ${address}` : `host '${hostname}' resolves to ${address}`;
    refuse(url, "address", `${via} (${kind}); list its network in allowNetworks to probe it`, {
      host: hostname,
      address,
      addressClass: kind,
    });
  }
  const [first] = addresses as [IpAddress, ...IpAddress[]];
  const port = url.port === "" ? (DEFAULT_PORTS[scheme] ?? null) : Number(url.port);
  const address = formatIpAddress(first);
  return {
    url,
    scheme,
    hostname,
    port,
    addresses: addresses.map(formatIpAddress),
    address,
    connectUrl: pinnedUrl(url, scheme, address, port),
  };
}

/** Rebuilds the URL from its parsed parts around the pinned address (no parser differential). */
function pinnedUrl(url: URL, scheme: string, address: string, port: number | null): string {
  const host = address.includes(":") ? `[${address}]` : address;
  const auth =
    url.username === "" && url.password === ""
      ? ""
      : `${url.username}${url.password === "" ? "" : `:${url.password}`}@`;
  return `${scheme}://${auth}${host}${port === null ? "" : `:${port}`}${url.pathname}${url.search}`;
}
