import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { StopSteps } from "@mtx-fleet/agent";
import type { Logger } from "@mtx-fleet/plugin-api";
import type { NatsConnection } from "@nats-io/transport-node";
import { Registry } from "prom-client";
import { createAgentlessManager, openAgentlessLeases } from "./agentless/index.ts";
import { createHubApi } from "./api/create-hub-api.ts";
import { registerHubMetrics } from "./api/hub-metrics.ts";
import type { NodeCommands } from "./api/node-commands.ts";
import { AuthService } from "./auth/auth-service.ts";
import { openSecretBox } from "./auth/secret-box.ts";
import { hubStoreKind } from "./config/hub-config-schema.ts";
import type { LoadedHubConfig } from "./config/load-hub-config.ts";
import { FleetService } from "./fleet/fleet-service.ts";
import { fleetLinkHandlers } from "./fleet-link-handlers.ts";
import { fleetNatsHandlers } from "./fleet-nats-handlers.ts";
import { createLinkServer, type LinkCommand, type LinkServer } from "./link/index.ts";
import { connectHubNats, startNatsIngest } from "./nats/index.ts";
import { type ReplicaBus, startReplicaBus } from "./replicas/index.ts";
import type { HubStore } from "./store/hub-store.ts";
import { openJsonHubStore } from "./store/open-json-hub-store.ts";
import { type KvHubStore, openKvHubStore } from "./store/open-kv-hub-store.ts";

/** Options of `startHub`. */
export interface StartHubOptions {
  readonly loaded: LoadedHubConfig;
  readonly logger: Logger;
  readonly version: string;
  /** The link's commands, when the link server is started before the API. */
  readonly commands?: NodeCommands;
  /** Called once with a generated admin password (first start without `auth.adminPassword`). */
  readonly onAdminPasswordGenerated?: (password: string) => void;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
}

/** A running hub, as `main.ts` drives it and as the link server and NATS consumer plug into it. */
export interface RunningHub {
  /** This process among the hub replicas (random per start). */
  readonly replicaId: string;
  readonly apiUrl: string;
  /** `host:port` agents dial. */
  readonly linkUrl: string;
  readonly link: LinkServer;
  readonly fleet: FleetService;
  readonly auth: AuthService;
  readonly store: HubStore;
  readonly registry: Registry;
  /** Gives the API the link's commands (or takes them away); without them sync answers 503. */
  setCommands(commands: NodeCommands | undefined): void;
  /** Registers how to stop a component started after the hub core; it stops before the core. */
  addStopStep(name: string, stop: () => Promise<void> | void, timeoutMs?: number): void;
  /** Stops everything in reverse start order with per-step timeouts. */
  stop(): Promise<void>;
}

/**
 * Starts the hub core in order (store, secrets, auth, fleet, REST API); a failure part-way
 * stops what already started and rethrows.
 */
export async function startHub(options: StartHubOptions): Promise<RunningHub> {
  const { loaded, logger, version } = options;
  const { config } = loaded;
  const now = options.now ?? Date.now;
  const steps = new StopSteps(logger);
  const replicaId = randomUUID();
  try {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    // With the nats-kv store the state is shared: this process is one replica among several.
    let nc: NatsConnection | undefined;
    let kvStore: KvHubStore | undefined;
    if (hubStoreKind(config) === "nats-kv" && config.nats !== undefined) {
      const connection = await connectHubNats({
        servers: config.nats.servers,
        name: `mtx-hub ${replicaId}`,
        logger,
        ...(config.nats.connectTimeoutMs === undefined
          ? {}
          : { connectTimeoutMs: config.nats.connectTimeoutMs }),
      });
      nc = connection;
      steps.add("nats", () => connection.drain().catch(() => connection.close()));
      kvStore = await openKvHubStore({ nc: connection, logger, replicas: config.store?.replicas ?? 1 });
    }
    const store = kvStore ?? (await openJsonHubStore({ dataDir: config.dataDir, logger }));
    steps.add("store", () => store.close());
    const secrets = await openSecretBox(
      config.dataDir,
      kvStore === undefined ? {} : { shared: kvStore.shared },
    );
    const { loginMaxFailures, loginWindowMs } = config.auth;
    const auth = new AuthService(store, {
      sessionTtlMs: config.auth.sessionTtlMs,
      now,
      login: {
        ...(loginMaxFailures === undefined ? {} : { maxFailures: loginMaxFailures }),
        ...(loginWindowMs === undefined ? {} : { windowMs: loginWindowMs }),
      },
    });
    const { generatedPassword } = await auth.ensureAdmin(config.auth.adminPassword);
    if (generatedPassword !== null) options.onAdminPasswordGenerated?.(generatedPassword);

    const fleet = new FleetService({
      store,
      secrets,
      logger,
      enrolTokenTtlMs: config.enrolTokenTtlMs,
      heartbeat: config.heartbeat,
      now,
    });
    fleet.start();
    steps.add("fleet", () => fleet.stop());

    const bus: ReplicaBus | undefined =
      nc === undefined ? undefined : startReplicaBus({ nc, replicaId, fleet, logger });
    if (bus !== undefined) steps.add("replica bus", () => bus.stop());

    // The control link: agents dial in; a full telemetry is asked for when the hub lacks one.
    let link: LinkServer | undefined;
    // A command reaches the node through whichever replica holds its session.
    const send = (nodeId: string, command: LinkCommand, timeoutMs: number) => {
      if (bus !== undefined) return bus.sendCommand(nodeId, command, { timeoutMs });
      if (link === undefined) return Promise.reject(new Error("link server not started"));
      return link.sendCommand(nodeId, command, { timeoutMs });
    };
    const requestFull = (nodeId: string): void => {
      send(nodeId, { case: "sync", value: {} }, 10_000).catch((error: unknown) =>
        logger.debug({ node: nodeId, err: error }, "full telemetry request failed"),
      );
    };
    link = await createLinkServer({
      host: config.link.host,
      port: config.link.port,
      tls: config.link.tls,
      handlers: fleetLinkHandlers(fleet, requestFull, bus),
      heartbeatIntervalMs: config.heartbeat.intervalMs,
      staleAfterMs: config.heartbeat.staleAfterMs,
      offlineAfterMs: config.heartbeat.offlineAfterMs,
      logger,
      ...(bus === undefined ? {} : { onSessionChange: bus.sessionChanged }),
    });
    const linkServer = link;
    bus?.attach(linkServer);
    steps.add("link", () => linkServer.close());
    const linkUrl = `${config.link.host === "0.0.0.0" ? "127.0.0.1" : config.link.host}:${linkServer.port}`;

    if (config.nats !== undefined) {
      const ingest = startNatsIngest({
        servers: config.nats.servers,
        handlers: fleetNatsHandlers(fleet, requestFull),
        logger,
        replicaId,
      });
      steps.add("nats ingest", () => ingest.stop());
    }

    const registry = new Registry();
    registerHubMetrics(registry, fleet);
    // Every command goes through `send`: with replicas, to the replica holding the session.
    const routed = {
      sync: async (nodeId: string) => (await send(nodeId, { case: "sync", value: {} }, 10_000)).value,
      send: async (nodeId: string, command: LinkCommand, { timeoutMs }: { readonly timeoutMs: number }) =>
        (await send(nodeId, command, timeoutMs)).value,
    };
    let commands: NodeCommands | undefined = options.commands ?? routed;
    const api = createHubApi({ fleet, auth, registry, logger, version, commands: () => commands });
    await api.listen({ host: config.api.host, port: config.api.port });
    steps.add("api", () => api.close());
    const address = api.server.address() as AddressInfo;
    const apiUrl = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

    // Agentless nodes: agents inside this process that dial the link like remote ones.
    const leases =
      nc === undefined
        ? undefined
        : await openAgentlessLeases({
            nc,
            replicaId,
            logger,
            replicas: config.store?.replicas ?? 1,
            ...(config.agentless?.leaseTtlMs === undefined ? {} : { ttlMs: config.agentless.leaseTtlMs }),
          });
    const agentless = createAgentlessManager({
      fleet,
      linkUrl,
      dataDir: config.dataDir,
      logger,
      version,
      ...(leases === undefined ? {} : { leases }),
    });
    await agentless.start();
    steps.add("agentless nodes", () => agentless.stop(), 15_000);
    logger.info(
      {
        apiUrl,
        linkUrl,
        dataDir: config.dataDir,
        nats: config.nats?.servers ?? null,
        store: hubStoreKind(config),
        replica: replicaId,
      },
      "hub started",
    );
    return {
      replicaId,
      apiUrl,
      linkUrl,
      link: linkServer,
      fleet,
      auth,
      store,
      registry,
      setCommands: (next) => {
        commands = next;
      },
      addStopStep: (name, stop, timeoutMs) => steps.add(name, stop, timeoutMs),
      stop: () => steps.run(),
    };
  } catch (error) {
    await steps.run();
    throw error;
  }
}
