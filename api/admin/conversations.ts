/**
 * GET /api/admin/conversations?status=needs_human|human|bot|closed&q=<search>&limit=<1..200>
 * -> {"conversations":[{"id","ref","channel","status","waitingSince","lastMessage":{"from","text","at"},
 *     "customer":{"name","email","phone"},"updatedAt"}],"counts":{status: n}}
 * needs_human lists the longest waiting first; the others the most recent first; without
 * status, every open conversation. The hand-off timers run in the same round trip.
 */
import * as z from "zod";
import { ownerSession } from "../../lib/owner/auth.js";
import { listConversations } from "../../lib/owner/inbox.js";
import { STATUSES, type ConversationStatus } from "../../lib/owner/store.js";
import { route } from "../../lib/route.js";

const querySchema = z.object({
  status: z.enum(STATUSES as [ConversationStatus, ...ConversationStatus[]]).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-conversations", {
  GET: {
    summary: "The inbox: conversations by status, searchable",
    auth: "owner",
    query: querySchema,
    handler({ query, services, waitUntil, auth }) {
      const owner = ownerSession(auth);
      return listConversations(
        services,
        owner.tokenHash,
        { ...(query.status ? { status: query.status } : {}), ...(query.q ? { query: query.q } : {}), ...(query.limit ? { limit: query.limit } : {}) },
        waitUntil,
      );
    },
  },
});
