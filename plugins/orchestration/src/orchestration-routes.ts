import { MtxError, type PluginHttp } from "@mtx-fleet/plugin-api";
import { checkDestinations, checkStreamKey, type ForwarderDestinations } from "./forwarder-destinations.ts";
import type { Orchestrator } from "./orchestrator.ts";
import { redactUrl } from "./redact-url.ts";

function bodyField(body: unknown, field: string): unknown {
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>)[field] : undefined;
}

/**
 * The plugin's local API, under `/api/v1/plugins/orchestration/x/`. Plugin routes match their
 * path exactly (no `:param`), so the stream or worker is named in the body or the query.
 * Destinations are answered redacted: the API is readable without the token. Errors are thrown
 * as MtxError; the agent's API maps their codes to HTTP statuses.
 */
export function registerOrchestrationRoutes(
  http: PluginHttp,
  orchestrator: Orchestrator,
  destinations: ForwarderDestinations,
): void {
  http.route("GET", "/workers", () => ({ body: { items: orchestrator.list() } }));

  http.route("POST", "/workers/restart", async (request) => {
    const id = bodyField(request.body, "id");
    if (typeof id !== "string" || id === "") {
      throw new MtxError("MTX_INVALID_INPUT", "body.id must be a worker id from GET /workers");
    }
    if (!(await orchestrator.restart(id))) {
      throw new MtxError("MTX_NOT_FOUND", `no worker '${id}' with an available stream`, { details: { id } });
    }
    return { body: { item: orchestrator.list().find((w) => w.id === id) ?? null } };
  });

  http.route("GET", "/forwarders", () => ({
    body: {
      items: destinations
        .all()
        .map(({ stream, destinations: urls }) => ({ stream, destinations: urls.map(redactUrl) })),
    },
  }));

  http.route("PUT", "/forwarders", async (request) => {
    const stream = checkStreamKey(bodyField(request.body, "stream"), "body.stream");
    const urls = checkDestinations(bodyField(request.body, "destinations"), "body.destinations");
    await destinations.set(stream, urls);
    orchestrator.reconcileAll();
    return { body: { stream, destinations: urls.map(redactUrl) } };
  });

  http.route("DELETE", "/forwarders", async (request) => {
    const stream = checkStreamKey(request.query.stream, "query.stream");
    await destinations.set(stream, []);
    orchestrator.reconcileAll();
    return { status: 204 };
  });
}
