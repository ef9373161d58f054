/**
 * GET /api/admin/quick-replies -> {"quickReplies":[text]} (5 suggestions until the owner saves
 * their own); PUT {"quickReplies":[text]} (at most 10, each 1..1000 characters) replaces them.
 */
import * as z from "zod";
import { ownerSession } from "../../lib/owner/auth.js";
import { getQuickReplies } from "../../lib/owner/inbox.js";
import { route } from "../../lib/route.js";

const bodySchema = z.object({ quickReplies: z.array(z.string().trim().min(1).max(1000)).max(10, "at most 10 quick replies") });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-quick-replies", {
  GET: {
    summary: "The owner’s quick replies",
    auth: "owner",
    handler({ services, auth }) {
      return getQuickReplies(services, ownerSession(auth).tokenHash);
    },
  },
  PUT: {
    summary: "Replace the owner’s quick replies (at most 10)",
    auth: "owner",
    body: bodySchema,
    handler({ body, services, auth }) {
      return getQuickReplies(services, ownerSession(auth).tokenHash, body.quickReplies);
    },
  },
});
