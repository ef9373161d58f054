/**
 * POST /api/admin/conversations/{id}/reply {"text"} -> 201 {"message":{…},"delivery":"sent|template|email|stored"}
 * The reply leaves on the shopper's channel after the response: "sent" (free text, or
 * Messenger's HUMAN_AGENT tag), "template" (WhatsApp outside 24 h), "email" (the shopper left
 * or the window is closed, and gave an email), "stored" (the web widget shows it).
 * 409 {"error":{"code":"window_closed"}} when nothing can carry it (nothing is stored then).
 */
import * as z from "zod";
import { ApiError } from "../../lib/errors.js";
import { ownerSession } from "../../lib/owner/auth.js";
import { replyToConversation } from "../../lib/owner/inbox.js";
import { conversationIdOf } from "../../lib/owner/paths.js";
import { json, route } from "../../lib/route.js";

const bodySchema = z.object({ text: z.string().trim().min(1, "text must not be empty").max(4000, "text must be at most 4000 characters") });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-reply", {
  POST: {
    summary: "Reply to the shopper on their channel (public path /api/admin/conversations/{id}/reply)",
    auth: "owner",
    body: bodySchema,
    maxBodyBytes: 32 * 1024,
    async handler({ url, body, services, waitUntil, auth }) {
      const owner = ownerSession(auth);
      const id = conversationIdOf(url);
      if (!id) throw new ApiError("not_found", "No such conversation.");
      return json(await replyToConversation(services, owner.tokenHash, id, body.text, waitUntil), { status: 201 });
    },
  },
});
