/**
 * GET /api/admin/conversations/{id} -> {"conversation":{…summary, "note","language","window",…},
 *   "messages":[{"id","from":"shopper|assistant|owner|system","text","at","products","links"}]}
 * (served here through a rewrite: /api/admin/conversation?id={id}). Unknown id -> 404; a
 * reply-link session for another conversation -> 403.
 */
import { ApiError } from "../../lib/errors.js";
import { ownerSession } from "../../lib/owner/auth.js";
import { viewConversation } from "../../lib/owner/inbox.js";
import { conversationIdOf } from "../../lib/owner/paths.js";
import { route } from "../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-conversation", {
  GET: {
    summary: "One conversation and its transcript (public path /api/admin/conversations/{id})",
    auth: "owner",
    async handler({ url, services, auth }) {
      const owner = ownerSession(auth);
      const id = conversationIdOf(url);
      if (!id) throw new ApiError("not_found", "No such conversation.");
      return viewConversation(services, owner.tokenHash, id);
    },
  },
});
