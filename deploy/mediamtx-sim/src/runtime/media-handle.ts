/** A track as the API shows it (`tracks2` item). */
export interface TrackInfo {
  readonly codec: string;
  readonly codecProps: Readonly<Record<string, unknown>> | null;
}

import type { FlvFeed } from "../flv/flv-hub.ts";
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
  /** The stream as FLV tags for RTMP readers; undefined when there is no media to read. */
  feed?(): FlvFeed | undefined;
  /** True when the recorder must record `feed()` (a real publisher) rather than the scenario. */
  readonly recordsFeed?: boolean;
}

/**
 * Starts media for a runtime path. `previousStopped` resolves once the media of the path's
 * previous publisher is gone (its HLS directory is reused).
 */
export type MediaFactory = (
  pathName: string,
  scenario: Scenario,
  nowMs: number,
  previousStopped?: Promise<void>,
) => MediaHandle;
