// What the hooks plugin's harness tests share: the events it puts on the bus and its status
// route, called the way the agent's local API calls it. Not exported from index.ts.
import type { PluginHarness } from "@mtx-fleet/agent/testing";
import type { MediaMtxHookEvent } from "@mtx-fleet/plugin-api";

/** Every `mediamtx.hook` event on the harness's bus from now on, in order. */
export function collectHookEvents(harness: PluginHarness): MediaMtxHookEvent[] {
  const seen: MediaMtxHookEvent[] = [];
  harness.bus.on("mediamtx.hook", (event) => void seen.push(event));
  return seen;
}

/** The body of the plugin's `GET /status` (typed by the caller: each test reads its own part). */
export async function hooksStatus<T>(harness: PluginHarness): Promise<T> {
  const route = harness.host.route("hooks", "GET", "/status");
  const answer = await route?.({
    method: "GET",
    path: "/status",
    query: {},
    body: undefined,
    requestId: "t",
  });
  return answer?.body as T;
}
