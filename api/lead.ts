/**
 * POST /api/lead — a visitor leaves their contact details.
 * Body `{email, name?, phone?, message?, source?, conversationId?, consent?}` (+ the honeypot
 * `website`, which humans leave empty). Rate limited per IP. 201 `{leadId, created: true,
 * crmSync}` for a new lead, 200 when it updated the lead with the same email.
 */
import { randomUUID } from "node:crypto";
import { captureLead, leadRequestSchema } from "../lib/leads/index.js";
import { enforceRateLimit } from "../lib/rate-limit.js";
import { json, route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("lead", {
  POST: {
    summary: "Leave contact details (a lead)",
    body: leadRequestSchema,
    responses: { 200: { description: "The lead with this email, updated" }, 201: { description: "A new lead" }, 429: { description: "Rate limited (Retry-After)" } },
    async handler({ body, ip, services, waitUntil }) {
      await enforceRateLimit(services.store, `lead:ip:${ip}`, services.config.lead.rateIp, "Too many submissions from this address. Please try again later.");
      const { website, ...lead } = body;
      if (website) {
        // A bot filled the hidden field: answer like a success, store and send nothing.
        services.log.info("lead honeypot triggered", {});
        return json({ leadId: randomUUID(), created: true, crmSync: "pending" }, { status: 201 });
      }
      const result = await captureLead(services, lead, { waitUntil });
      return json(result, { status: result.created ? 201 : 200 });
    },
  },
});
