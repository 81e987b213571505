import type { StartedHub } from "@mtx-fleet/testkit";

/** What a test names of a node it creates (`POST /api/v1/fleet/nodes`, sent as given). */
export interface NodeFields {
  readonly name: string;
  readonly environment: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Creates an agent node at the hub: its id and the one-time enrolment token an agent starts with. */
export async function createNode(
  hub: StartedHub,
  fields: NodeFields,
): Promise<{ id: string; token: string }> {
  const created = await hub.request("POST", "/api/v1/fleet/nodes", fields);
  const body = created.body as { node: { id: string }; enrolToken: { token: string } };
  return { id: body.node.id, token: body.enrolToken.token };
}
