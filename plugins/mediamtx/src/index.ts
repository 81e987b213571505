export type { CallOptions, ListOptions, MtxServerInfo } from "./client-core.ts";
export type { MtxPathDelta } from "./compute-path-deltas.ts";
export { computePathDeltas } from "./compute-path-deltas.ts";
export type { ConfigApi, MtxGlobalConf, MtxPathConf } from "./config-api.ts";
export type {
  ConnectionApi,
  ConnectionGroup,
  ConnectionGroupItems,
  ConnectionGroupName,
} from "./connection-api.ts";
export { CONNECTION_ENDPOINTS } from "./connection-api.ts";
export type { MediaMtxClient, MediaMtxClientOptions, RawRequest } from "./create-mediamtx-client.ts";
export { createMediaMtxClient } from "./create-mediamtx-client.ts";
export type { PollerClock, SnapshotPoller, SnapshotPollerOptions } from "./create-snapshot-poller.ts";
export { createSnapshotPoller, DEFAULT_SNAPSHOT_INCLUDE } from "./create-snapshot-poller.ts";
export { DEFAULT_ITEMS_PER_PAGE, DEFAULT_POLL_INTERVAL_MS, DEFAULT_TIMEOUT_MS } from "./defaults.ts";
export { encodePathName } from "./encode-path-name.ts";
export type { MediaMtxFeatures } from "./features.ts";
export { FEATURE_SINCE, featuresForVersion, parseMediaMtxVersion } from "./features.ts";
export { findRedactedSecrets, REDACTED } from "./find-redacted-secrets.ts";
export type {
  MtxConnection,
  MtxConnectionBase,
  MtxForwardDest,
  MtxHlsMuxer,
  MtxHlsSession,
  MtxList,
  MtxMoqSession,
  MtxPath,
  MtxPathReader,
  MtxPathSource,
  MtxRecording,
  MtxRtmpConn,
  MtxRtpCounters,
  MtxRtspConn,
  MtxRtspSession,
  MtxSrtConn,
  MtxSrtStats,
  MtxTrack2,
  MtxWebRtcSession,
  SrtStatName,
} from "./model.ts";
export { SRT_STAT_NAMES } from "./model.ts";
export type { MtxConnectionType } from "./normalise-connection.ts";
export type { RuntimeApi } from "./runtime-api.ts";
export type { CurrentSnapshot, MtxSnapshot, PollResult, SnapshotEvent } from "./snapshot.ts";
export type { GlobalConf, PathConf } from "./wire-types.ts";
