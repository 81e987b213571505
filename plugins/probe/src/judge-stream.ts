import type { HealthReason, StreamVerdict } from "@mtx-fleet/plugin-api";
import type { Findings } from "./deep-findings.ts";
import { reason } from "./reason-codes.ts";
import type { TierOneFindings } from "./tier-one-findings.ts";

/** A verdict with the reasons and values it rests on. */
export interface Judgement {
  readonly verdict: StreamVerdict;
  readonly reasons: readonly HealthReason[];
  readonly values: Readonly<Record<string, number | string | boolean>>;
}

/** What the deep tier contributes: its latest findings for this stream, or why there are none. */
export type DeepState =
  | { readonly kind: "off" }
  | { readonly kind: "pending" }
  | { readonly kind: "found"; readonly findings: Findings; readonly checkedAt: number };

const RANK: Readonly<Record<HealthReason["severity"], number>> = { unhealthy: 3, degraded: 2, unknown: 1 };

/** The worst severity among the reasons; `healthy` when there are none. */
export function verdictOf(reasons: readonly HealthReason[]): StreamVerdict {
  let worst: StreamVerdict = "healthy";
  let rank = 0;
  for (const r of reasons) {
    if (RANK[r.severity] > rank) {
      rank = RANK[r.severity];
      worst = r.severity;
    }
  }
  return worst;
}

/**
 * Combines the tiers. When tier 1 says the stream is not flowing (gone, stalled) its reasons
 * stand alone: picture and sound findings of an earlier probe are void. Otherwise the deep
 * findings join (a code found by both tiers, e.g. `no_audio`, is given once), and a stream no
 * deep probe has judged yet is `unknown` (`not_probed`) rather than healthy.
 */
export function judgeStream(tierOne: TierOneFindings, deep: DeepState): Judgement {
  if (tierOne.blocking || deep.kind === "off") {
    return { verdict: verdictOf(tierOne.reasons), reasons: tierOne.reasons, values: tierOne.values };
  }
  const reasons = [...tierOne.reasons];
  let values: Record<string, number | string | boolean> = { ...tierOne.values };
  if (deep.kind === "pending") {
    reasons.push(reason("not_probed", "not deep-probed yet"));
  } else {
    const codes = new Set(reasons.map((r) => r.code));
    reasons.push(...deep.findings.reasons.filter((r) => !codes.has(r.code)));
    values = { ...values, ...deep.findings.values, deepCheckedAt: deep.checkedAt };
  }
  return { verdict: verdictOf(reasons), reasons, values };
}
