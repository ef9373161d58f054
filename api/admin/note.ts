/**
 * POST /api/admin/conversations/{id}/note {"note"} -> 200 {"note"}: the owner's private note on
 * the conversation (never shown to the shopper); an empty note removes it.
 */
import * as z from "zod";
import { ApiError } from "../../lib/errors.js";
import { ownerSession } from "../../lib/owner/auth.js";
import { saveNote } from "../../lib/owner/inbox.js";
import { conversationIdOf } from "../../lib/owner/paths.js";
import { route } from "../../lib/route.js";

const bodySchema = z.object({ note: z.string().max(5000, "note must be at most 5000 characters") });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-note", {
  POST: {
    summary: "Save the owner’s private note (public path /api/admin/conversations/{id}/note)",
    auth: "owner",
    body: bodySchema,
    async handler({ url, body, services, auth }) {
      const owner = ownerSession(auth);
      const id = conversationIdOf(url);
      if (!id) throw new ApiError("not_found", "No such conversation.");
      return saveNote(services, owner.tokenHash, id, body.note);
    },
  },
});
