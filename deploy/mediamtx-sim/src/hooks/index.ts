export { expandVariables } from "./expand-variables.ts";
export { escapeQueryForHook, goQueryEscape } from "./go-query-escape.ts";
export {
  connHookVars,
  demandHookVars,
  formatGoSeconds,
  pathHookVars,
  readerHookVars,
  segmentHookVars,
  sourceHookVars,
} from "./hook-vars.ts";
export type { RunHookOptions, RunningHook } from "./run-hook.ts";
export { DEFAULT_HOOK_RESTART_DELAY_MS, runHook } from "./run-hook.ts";
export { splitCommand } from "./split-command.ts";
