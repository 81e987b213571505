export { type PluginHarness, type PluginHarnessOptions, startPluginHarness } from "./start-plugin-harness.ts";
