/**
 * POST /api/admin/conversations/{id}/close -> 200 {"conversation":{…},"changed"}:
 * closes the conversation (a new shopper message opens it again with the assistant); already closed: changed false.
 * A body is optional (none is read).
 */
import { ApiError } from "../../lib/errors.js";
import { ownerSession } from "../../lib/owner/auth.js";
import { changeConversationState } from "../../lib/owner/inbox.js";
import { conversationIdOf } from "../../lib/owner/paths.js";
import { route } from "../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-close", {
  POST: {
    summary: "Close the conversation (public path /api/admin/conversations/{id}/close)",
    auth: "owner",
    async handler({ url, services, waitUntil, auth }) {
      const owner = ownerSession(auth);
      const id = conversationIdOf(url);
      if (!id) throw new ApiError("not_found", "No such conversation.");
      return changeConversationState(services, owner.tokenHash, id, "close", waitUntil);
    },
  },
});
