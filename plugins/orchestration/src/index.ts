export { backoffDelay, type RestartPolicy } from "./backoff-delay.ts";
export { type ArgTemplate, parseArgTemplate, renderArgv } from "./command-template.ts";
export { BUILTIN_PLACEHOLDERS, type CompiledPlan, compilePlan } from "./compile-plan.ts";
export { groupMembers, type ProcEntry, parseProcStat, readProc } from "./group-members.ts";
export {
  DEFAULT_FORWARDER_COMMAND,
  DEFAULT_GRACE_MS,
  DEFAULT_INHERIT_ENV,
  DEFAULT_STOP_TIMEOUT_MS,
  type ForwarderConfig,
  type OrchestrationConfig,
  orchestrationConfig,
  type RuleConfig,
} from "./orchestration-config.ts";
/** The plugin under the name the agent looks for when a config names this package as `module`. */
export { orchestrationPlugin as plugin, orchestrationPlugin } from "./orchestration-plugin.ts";
export { compilePathPattern, type PathPattern } from "./path-pattern.ts";
export { type ExitStatus, type ProcessGroup, spawnProcessGroup } from "./process-group.ts";
export { createRedactor, redactUrl } from "./redact-url.ts";
export type { WorkerEvent, WorkerStatus } from "./worker-spec.ts";
export type { ExitInfo, StopReason, WorkerState } from "./worker-state.ts";
