export {
  DurableJsonAdapter,
  type DurableJsonAdapterOptions,
  type ParseResult,
} from "./durable-json-adapter.ts";
export { type LocalStore, type LocalStoreOptions, openLocalStore, type StoreView } from "./local-store.ts";
export { type MinimalLogger, SILENT_LOGGER } from "./minimal-logger.ts";
export { errnoCode, storageError } from "./storage-error.ts";
export { fsyncDir, type WriteFileDurablyOptions, writeFileDurably } from "./write-file-durably.ts";
