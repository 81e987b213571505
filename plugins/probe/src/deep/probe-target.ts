import type { MtxError } from "@mtx-fleet/plugin-api";
import { checkProbeUrl, type ProbeUrlPolicy } from "./check-probe-url.ts";
import { type EgressProxy, startEgressProxy } from "./start-egress-proxy.ts";

/** Where ffmpeg connects, and the proxy that checks an outside HTTP(S) URL's every hop. */
export interface ProbeTarget {
  readonly inputUrl: string;
  readonly proxy: EgressProxy | undefined;
}

/**
 * The input of a probe. Without a policy (the local MediaMTX) the URL as it is. With one, the
 * checked URL: RTSP/RTMP/SRT pinned to the checked IP; HTTP(S) keeps its host name (TLS needs it
 * for SNI and the certificate, HTTP for `Host`) and goes through an egress proxy that checks and
 * pins every request (a refusal there is reported to `onRefusal`: stop the probe). Rejects with `MTX_URL_FORBIDDEN` when the policy refuses the URL.
 */
export async function probeTarget(
  url: string,
  policy: ProbeUrlPolicy | undefined,
  onRefusal?: (error: MtxError) => void,
): Promise<ProbeTarget> {
  if (policy === undefined) return { inputUrl: url, proxy: undefined };
  const checked = await checkProbeUrl(url, policy);
  if (checked.scheme === "http" || checked.scheme === "https") {
    return { inputUrl: checked.url.href, proxy: await startEgressProxy(policy, onRefusal) };
  }
  return { inputUrl: checked.connectUrl, proxy: undefined };
}
