export type { Conf } from "./config/conf.ts";
export { ConfBuilder } from "./config/conf-builder.ts";
export type { Scenario } from "./media/index.ts";
export { parseArgs } from "./parse-args.ts";
export type { ReadyLine } from "./simulator.ts";
export { Simulator } from "./simulator.ts";
export type { SimulatorOptions } from "./simulator-options.ts";
export type { MtxVersion } from "./spec/mtx-version.ts";
