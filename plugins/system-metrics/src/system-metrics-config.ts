import { type Static, Type } from "@mtx-fleet/plugin-api";

/** Interface name prefixes skipped by default: loopback and container/virtual plumbing. */
export const DEFAULT_EXCLUDED_INTERFACES = ["lo", "veth", "docker", "br-", "virbr", "cni", "flannel", "cali"];

/** Config of the system-metrics plugin. */
export const systemMetricsConfig = Type.Object(
  {
    intervalMs: Type.Integer({ minimum: 1000, default: 10_000, description: "Time between samples" }),
    disks: Type.Array(Type.String({ pattern: "^/", description: "Absolute path" }), {
      default: ["/"],
      description: "Paths whose file systems are watched (mount points, the recordings directory)",
    }),
    temperature: Type.Boolean({
      default: true,
      description: "Read the CPU temperature where a sensor exists",
    }),
    perCore: Type.Boolean({ default: false, description: "Also export usage per CPU" }),
    excludeInterfaces: Type.Array(Type.String({ minLength: 1 }), {
      default: DEFAULT_EXCLUDED_INTERFACES,
      description: "Network interface name prefixes to leave out",
    }),
  },
  { additionalProperties: false },
);

/** The validated config of the system-metrics plugin. */
export type SystemMetricsConfig = Static<typeof systemMetricsConfig>;
