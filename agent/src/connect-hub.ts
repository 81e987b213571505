import { create } from "@bufbuild/protobuf";
import type { SnapshotPoller } from "@mtx-fleet/mediamtx";
import type { Logger } from "@mtx-fleet/plugin-api";
import { type EnvironmentName, environmentName, TelemetrySchema } from "@mtx-fleet/proto";
import type { MediaMtxHealth } from "./api/create-local-api.ts";
import { buildTelemetry } from "./build-telemetry.ts";
import type { AgentConfig } from "./config/agent-config-schema.ts";
import { actionCommand } from "./link/action-command.ts";
import { createLinkClient, type LinkClient } from "./link/index.ts";
import { createNatsPublisher, type NatsPublisher } from "./nats/index.ts";
import type { Outbox } from "./outbox/index.ts";
import type { PluginHost } from "./plugins/plugin-host.ts";
import type { StopSteps } from "./stop-steps.ts";
import type { LocalStore } from "./store/index.ts";
import { streamChanges } from "./stream-changes.ts";

/** What the hub connection uses of the running agent. */
export interface ConnectHubOptions {
  readonly hubConfig: NonNullable<AgentConfig["hub"]>;
  readonly store: LocalStore<object>;
  readonly outbox: Outbox;
  readonly poller: SnapshotPoller;
  readonly host: PluginHost;
  readonly version: string;
  readonly mediamtxHealth: Readonly<MediaMtxHealth>;
  readonly logger: Logger;
  readonly steps: StopSteps;
}

/**
 * Connects the agent to its hub: the gRPC link (enrolment, control, and — without NATS —
 * events and telemetry), plus the NATS publisher when NATS is configured. Loaded only when a
 * hub is configured, so a standalone agent never loads gRPC or NATS.
 */
export function connectHub(options: ConnectHubOptions): LinkClient {
  const { hubConfig, store, outbox, poller, host, version, mediamtxHealth, logger, steps } = options;
  const linkStore = store.namespace<{
    credential?: string;
    node?: { id: string; name: string; environment: string };
  }>("link", {});
  const natsServers = hubConfig.nats?.servers;
  let sequence = 0;
  const telemetry = () => {
    const plugins = host.status();
    const stats = outbox.stats();
    sequence += 1;
    return buildTelemetry(
      poller.current(),
      {
        agentVersion: version,
        mediamtxVersion: "",
        mediamtxReachable: mediamtxHealth.reachable,
        pluginsRunning: plugins.filter((p) => p.state.kind === "running").length,
        pluginsFailed: plugins.filter((p) => p.state.kind === "failed").length,
        outboxPending: stats.newestSeq - stats.deliveredSeq,
      },
      sequence,
      host.streams,
    );
  };
  // The NATS publisher needs the node's identity: stored from the last Welcome, so events
  // flow to NATS even when the hub's link is down at start-up.
  let publisher: NatsPublisher | undefined;
  const startPublisher = (node: { id: string; name: string; environment: string }): void => {
    if (natsServers === undefined || publisher !== undefined) return;
    publisher = createNatsPublisher({
      servers: natsServers,
      node: { id: node.id, name: node.name, environment: node.environment as EnvironmentName },
      outbox,
      telemetry: () => create(TelemetrySchema, telemetry()),
      telemetryIntervalMs: hubConfig.telemetryIntervalMs,
      telemetryChanges: streamChanges(poller),
      logger,
    });
  };
  const storedNode = linkStore.read().node;
  if (storedNode !== undefined) startPublisher(storedNode);
  steps.add("nats publisher", () => publisher?.stop());
  const link = createLinkClient({
    hubUrl: hubConfig.url,
    tls: hubConfig.tls,
    credentialStore: {
      get: async () => linkStore.read().credential,
      set: async (credential) => {
        await linkStore.update((draft) => ({ ...draft, credential }));
      },
    },
    enrolToken: hubConfig.enrolToken,
    agentVersion: version,
    hello: () => ({ capabilities: host.names().map((name) => `plugin:${name}`) }),
    // With NATS, events and telemetry go there and the session carries control only.
    ...(natsServers === undefined ? { outbox, telemetry, telemetryChanges: streamChanges(poller) } : {}),
    telemetryIntervalMs: hubConfig.telemetryIntervalMs,
    onNode: (node) => {
      const known = {
        id: node.nodeId,
        name: node.name,
        environment: environmentName(node.environment) ?? "dev",
      };
      if (JSON.stringify(linkStore.read().node) !== JSON.stringify(known)) {
        linkStore
          .update((draft) => ({ ...draft, node: known }))
          .catch((error: unknown) => logger.error({ err: error }, "node identity not stored"));
      }
      startPublisher(known);
    },
    commands: {
      sync: () => ({ paths: poller.current()?.snapshot.paths.length ?? 0 }),
      // Answered by whichever plugin offers the action (the probe plugin by default).
      probe: actionCommand<"probe">(host.actions, "probe.path", (command) => ({ path: command.pathName })),
      thumbnail: actionCommand<"thumbnail">(host.actions, "probe.thumbnail", (command) => ({
        path: command.pathName,
        fresh: command.fresh,
      })),
      probeUrl: actionCommand<"probeUrl">(host.actions, "probe.url", (command) => ({ url: command.url })),
    },
    logger,
  });
  steps.add("hub link", () => link.stop());
  return link;
}
