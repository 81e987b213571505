/** A track as the API shows it (`tracks2` item). */
export interface TrackInfo {
  readonly codec: string;
  readonly codecProps: Readonly<Record<string, unknown>> | null;
}

import type { Scenario } from "../media/index.ts";

export type { Scenario };

/** The media behind a publisher: real (ffmpeg, from the media lib) or synthetic counters. */
export interface MediaHandle {
  /** Resolves once real media flows (HLS playlist + first segment); absent for synthetic media. */
  readonly ready?: Promise<void>;
  /** Bytes produced so far. */
  inboundBytes(nowMs: number): number;
  tracks(): readonly TrackInfo[];
  setScenario(scenario: Scenario, nowMs: number): void | Promise<void>;
  stop(): Promise<void>;
}

/** Starts media for a runtime path; the simulator passes a synthetic factory until the media lib is wired. */
export type MediaFactory = (pathName: string, scenario: Scenario, nowMs: number) => MediaHandle;
