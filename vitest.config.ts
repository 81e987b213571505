import { defineConfig } from "vitest/config";

// One vitest run covers every workspace; tests sit beside the code they test.
export default defineConfig({
  test: {
    include: ["{proto,plugins/*,agent,hub,web,deploy/*}/src/**/*.test.ts", "plugins/*/examples/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Tests start real processes (simulator, ffmpeg, nats-server): two cores, so keep the
    // fan-out modest to avoid timing noise.
    maxWorkers: 2,
  },
});
