import { createTempDir } from "@mtx-fleet/testkit";
import { openJsonHubStore } from "./open-json-hub-store.ts";
import { describeHubStoreContract } from "./testing/hub-store-contract.ts";

describeHubStoreContract("openJsonHubStore", async () => {
  const dir = await createTempDir("mtx-hub-store-");
  return {
    open: ({ maxEventsPerNode } = {}) =>
      openJsonHubStore({
        dataDir: dir.path,
        ...(maxEventsPerNode === undefined ? {} : { maxEventsPerNode }),
      }),
    [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose](),
  };
});
