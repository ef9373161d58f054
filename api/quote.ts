/**
 * POST /api/quote — the shop owner creates a quote ("devis"), with
 * `Authorization: Bearer <ADMIN_API_KEY>` (401 otherwise; 503 not_configured when the key is
 * not set; checked before the body is read). Body `{items: [{productId, quantity} | {name,
 * unitPrice: "149.90", quantity}], customer?: {name?, email?, phone?}, note?, conversationId?,
 * channel?, expiresInDays?, checkout?: true}` -> 201 `{quoteId, total, currency, items,
 * expiresAt, checkout?: {url, sessionId}}`. The shopper pays it with POST /api/checkout `{quoteId}`, once.
 */
import { createQuote, quoteRequestSchema } from "../lib/checkout/index.js";
import { json, route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("quote", {
  POST: {
    summary: "Create a quote (shop owner)",
    auth: "admin",
    body: quoteRequestSchema,
    responses: { 201: { description: "The quote, with a checkout link when asked" } },
    async handler({ body, services, waitUntil }) {
      return json(await createQuote(services, body, { waitUntil }), { status: 201 });
    },
  },
});
