import {
  FLV_AUDIO,
  FLV_SCRIPT,
  FLV_VIDEO,
  type FlvTag,
  isAudioConfig,
  isVideoConfig,
  isVideoKeyframe,
} from "./flv-tag.ts";

/** A consumer of a live FLV stream. */
export interface FlvSink {
  /** Metadata and sequence headers first (timestamp 0), then media from the last key frame on. */
  tag(tag: FlvTag): void;
  /** The stream ended (publisher gone). */
  end(): void;
}

/** Something readers can attach to: a published stream as FLV tags. */
export interface FlvFeed {
  /** What the stream carries (known once the sequence headers were seen). */
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
  /** Attaches a sink; returns the function that detaches it. */
  subscribe(sink: FlvSink): () => void;
}

/** Tags kept for late joiners at most (a GOP of a 1 s key frame interval is ~75). */
const MAX_CACHED_TAGS = 2_000;
const AUDIO_ONLY_CACHE_MS = 1_000;

interface Subscriber {
  readonly sink: FlvSink;
  /** Timestamp that becomes 0 for this subscriber (each reader's stream starts at 0). */
  base: number | undefined;
}

/**
 * The live stream of one publisher: keeps the sequence headers and the tags since the last
 * video key frame, so a new reader starts with a decodable picture, then forwards live tags.
 */
export class FlvHub implements FlvFeed {
  #metadata: FlvTag | undefined;
  #videoConfig: FlvTag | undefined;
  #audioConfig: FlvTag | undefined;
  #cache: FlvTag[] = [];
  readonly #subs = new Set<Subscriber>();
  #mediaBytes = 0;
  #ended = false;
  #sawVideo = false;
  #sawAudio = false;

  get hasVideo(): boolean {
    return this.#sawVideo;
  }

  get hasAudio(): boolean {
    return this.#sawAudio;
  }

  /** Payload bytes of every audio/video tag pushed (the path's `inboundBytes`). */
  get mediaBytes(): number {
    return this.#mediaBytes;
  }

  get videoConfig(): FlvTag | undefined {
    return this.#videoConfig;
  }

  get audioConfig(): FlvTag | undefined {
    return this.#audioConfig;
  }

  get metadata(): FlvTag | undefined {
    return this.#metadata;
  }

  push(tag: FlvTag): void {
    if (this.#ended) return;
    if (tag.type === FLV_SCRIPT) {
      this.#metadata = tag;
      return;
    }
    if (tag.type !== FLV_AUDIO && tag.type !== FLV_VIDEO) return;
    this.#mediaBytes += tag.data.length;
    if (isVideoConfig(tag)) {
      this.#videoConfig = tag;
      this.#sawVideo = true;
      for (const s of this.#subs) s.sink.tag({ ...tag, timestamp: 0 });
      return;
    }
    if (isAudioConfig(tag)) {
      this.#audioConfig = tag;
      this.#sawAudio = true;
      for (const s of this.#subs) s.sink.tag({ ...tag, timestamp: 0 });
      return;
    }
    if (tag.type === FLV_VIDEO) this.#sawVideo = true;
    else this.#sawAudio = true;
    this.#cacheTag(tag);
    for (const s of this.#subs) this.#send(s, tag);
  }

  #cacheTag(tag: FlvTag): void {
    if (isVideoKeyframe(tag)) this.#cache = [tag];
    else if (this.#sawVideo) {
      if (this.#cache.length > 0 && this.#cache.length < MAX_CACHED_TAGS) this.#cache.push(tag);
    } else {
      this.#cache.push(tag);
      const oldest = tag.timestamp - AUDIO_ONLY_CACHE_MS;
      while ((this.#cache[0]?.timestamp ?? oldest) < oldest) this.#cache.shift();
    }
  }

  #send(s: Subscriber, tag: FlvTag): void {
    s.base ??= tag.timestamp;
    s.sink.tag({ ...tag, timestamp: Math.max(0, tag.timestamp - s.base) });
  }

  subscribe(sink: FlvSink): () => void {
    const sub: Subscriber = { sink, base: undefined };
    if (this.#ended) {
      sink.end();
      return () => {};
    }
    for (const t of [this.#metadata, this.#videoConfig, this.#audioConfig]) {
      if (t !== undefined) sink.tag({ ...t, timestamp: 0 });
    }
    for (const t of this.#cache) this.#send(sub, t);
    this.#subs.add(sub);
    return () => {
      this.#subs.delete(sub);
    };
  }

  /** The publisher left: every sink gets `end()`, later subscribers too. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const subs = [...this.#subs];
    this.#subs.clear();
    for (const s of subs) s.sink.end();
  }
}
