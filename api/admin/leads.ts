/**
 * GET /api/admin/leads?q=<search>&limit=<1..5000> -> {"leads":[{"id","email","name","phone",
 * "message","source","conversationId","consent","submissions","createdAt","updatedAt"}]};
 * with format=csv, the same as a CSV download (text/csv, UTF-8).
 */
import * as z from "zod";
import { ownerSession } from "../../lib/owner/auth.js";
import { leadsCsv, listLeads } from "../../lib/owner/inbox.js";
import { route } from "../../lib/route.js";

const querySchema = z.object({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
  format: z.enum(["json", "csv"]).optional(),
});

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-leads", {
  GET: {
    summary: "Leads, searchable; CSV with format=csv",
    auth: "owner",
    query: querySchema,
    async handler({ query, services, auth }) {
      const owner = ownerSession(auth);
      const csv = query.format === "csv";
      const r = await listLeads(services, owner.tokenHash, { ...(query.q ? { query: query.q } : {}), limit: query.limit ?? (csv ? 5000 : 100) });
      if (!csv) return r;
      return new Response(leadsCsv(r.leads), {
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="leads.csv"' },
      });
    },
  },
});
