/**
 * Reply links for hand-off notifications: `<PUBLIC_BASE_URL>/admin/#link=<token>`. The token
 * (192 random bits) sits in the fragment, which browsers never send and mail scanners do not
 * prefetch; the page exchanges it by POST /api/admin/link (single use, 24 h) for a session
 * limited to that one conversation. Only its hash is stored.
 */
import type { Services } from "../services.js";
import { LINK_TTL_SECONDS, hashToken, newLinkToken } from "./tokens.js";

export async function createReplyLink(services: Services, conversationId: string): Promise<string> {
  const token = newLinkToken();
  await services.store.rpc("owner_link_create", { p_token_hash: hashToken(token), p_conversation_id: conversationId, p_ttl_seconds: LINK_TTL_SECONDS });
  return `${services.config.app.publicBaseUrl}/admin/#link=${token}`;
}
