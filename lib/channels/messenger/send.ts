/**
 * One Messenger Send API call: `POST {META_GRAPH_BASE_URL}/{GRAPH_VERSION}/me/messages` with the
 * Page access token (as the documented `access_token` query parameter; lib/http logs paths
 * without the query), through lib/http (timeout, retries on 429/5xx, breaker).
 */
import type { Services } from "../../services.js";
import { graphClient } from "../graph.js";

/** Sends one message to a PSID; resolves to Meta's message id (mid). */
export async function sendMessengerMessage(services: Services, psid: string, body: Record<string, unknown>): Promise<string | null> {
  const ms = services.config.messenger;
  if (!ms.configured) throw new Error("Messenger is not configured");
  const res = await graphClient(services, "messenger").json<{ message_id?: string }>({
    method: "POST",
    path: `/${ms.graphVersion}/me/messages`,
    query: { access_token: ms.pageAccessToken },
    json: { recipient: { id: psid }, ...body },
    idempotent: true,
  });
  return res?.message_id ?? null;
}
