/**
 * POST /api/admin/conversations/{id}/release -> 200 {"conversation":{…},"changed"}:
 * gives the conversation back to the assistant (the shopper reads "I'm back…"); already with the assistant: changed false.
 * A body is optional (none is read).
 */
import { ApiError } from "../../lib/errors.js";
import { ownerSession } from "../../lib/owner/auth.js";
import { changeConversationState } from "../../lib/owner/inbox.js";
import { conversationIdOf } from "../../lib/owner/paths.js";
import { route } from "../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-release", {
  POST: {
    summary: "Give the conversation back to the assistant (public path /api/admin/conversations/{id}/release)",
    auth: "owner",
    async handler({ url, services, waitUntil, auth }) {
      const owner = ownerSession(auth);
      const id = conversationIdOf(url);
      if (!id) throw new ApiError("not_found", "No such conversation.");
      return changeConversationState(services, owner.tokenHash, id, "release", waitUntil);
    },
  },
});
