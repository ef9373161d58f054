/**
 * GET /api/admin/orders?status=<status>&limit=<1..1000> -> {"orders":[{"id","status","amount"
 * (exact decimal string),"currency","channel","conversationId","email","items","createdAt","paidAt"}]}
 * The checkout orders (Stripe or Wix hosted checkout), newest first.
 */
import * as z from "zod";
import { ownerSession } from "../../lib/owner/auth.js";
import { listOrders } from "../../lib/owner/inbox.js";
import { route } from "../../lib/route.js";

const querySchema = z.object({
  status: z.enum(["pending", "processing", "expired", "failed", "paid", "review"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-orders", {
  GET: {
    summary: "Checkout orders with status, amount and channel",
    auth: "owner",
    query: querySchema,
    handler({ query, services, auth }) {
      const owner = ownerSession(auth);
      return listOrders(services, owner.tokenHash, { ...(query.status ? { status: query.status } : {}), ...(query.limit ? { limit: query.limit } : {}) });
    },
  },
});
