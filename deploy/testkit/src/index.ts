export { type ChildProcessHandle, spawnChild, waitForLine } from "./child-process-handle.ts";
export { freePort } from "./free-port.ts";
export { type AgentOptions, type StartedAgent, startAgent, TEST_AGENT_TOKEN } from "./start-agent.ts";
export {
  type HubOptions,
  type HubResponse,
  type StartedHub,
  startHub,
  TEST_HUB_ADMIN_PASSWORD,
} from "./start-hub.ts";
export { type NatsServerOptions, type StartedNatsServer, startNatsServer } from "./start-nats-server.ts";
export { type NotifyDatagram, type NotifySocket, startNotifySocket } from "./start-notify-socket.ts";
export {
  type SimControl,
  type SimFault,
  type SimScenario,
  type SimulatorOptions,
  type SimulatorVersion,
  type StartedSimulator,
  startSimulator,
} from "./start-simulator.ts";
export {
  type StartedTcpProxy,
  startTcpProxy,
  type TcpCutMode,
  type TcpProxyOptions,
} from "./start-tcp-proxy.ts";
export { createTempDir, type TempDir } from "./temp-dir.ts";
export { DEFAULT_WAIT_FOR_TIMEOUT_MS, waitFor } from "./wait-for.ts";
