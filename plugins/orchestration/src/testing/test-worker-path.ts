import { fileURLToPath } from "node:url";

/** The test worker script (see test-worker.ts), for commands in tests: `[process.execPath, TEST_WORKER]`. */
export const TEST_WORKER = fileURLToPath(new URL("./test-worker.ts", import.meta.url));
