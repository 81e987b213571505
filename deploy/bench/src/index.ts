export { agentFootprint, type FootprintRow } from "./agent-footprint.ts";
export { type ProcessFootprint, sampleProcess } from "./process-sampler.ts";
