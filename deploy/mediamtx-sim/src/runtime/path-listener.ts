import type { PathConf } from "../config/merged-path-conf.ts";
import type { Conn } from "./conn.ts";
import type { PathReader, RuntimePath } from "./runtime-path.ts";

/** Lifecycle transitions of runtime paths, where hooks and the recorder attach. */
export interface PathListener {
  /** A path was created (startup, config added, recreated by a config change). */
  pathCreated?(path: RuntimePath): void;
  /** A path is being closed (config removed/changed, restart, shutdown). */
  pathClosed?(path: RuntimePath): void;
  /** A publisher attached and the stream is available. */
  sourceReady?(path: RuntimePath): void;
  /** The stream went away (unpublish, kick, path closed). */
  sourceNotReady?(path: RuntimePath): void;
  readerAdded?(path: RuntimePath, reader: PathReader): void;
  readerRemoved?(path: RuntimePath, reader: PathReader): void;
  /** A client connection opened / closed (every kind; runOnConnect filters). */
  connOpened?(conn: Conn): void;
  connClosed?(conn: Conn): void;
  /** Only record keys changed: the recorder restarts with a new segment. */
  recordConfChanged?(path: RuntimePath, previous: PathConf): void;
}
