/** Writes a spool file exactly as mtx-hook does (to stage a replay in a test). */
export { spoolEvent } from "../spool-event.ts";
export { type InstallHookShimOptions, installHookShim } from "./install-hook-shim.ts";
export {
  type RunWrapperOptions,
  runWrapperProcess,
  WRAPPER_MAIN,
  type WrapperRun,
} from "./run-wrapper-process.ts";
