export {
  type RunWrapperOptions,
  runWrapperProcess,
  WRAPPER_MAIN,
  type WrapperRun,
} from "./run-wrapper-process.ts";
