/**
 * POST /api/quote — the shop owner creates a quote ("devis"), with
 * `Authorization: Bearer <ADMIN_API_KEY>` (401 otherwise; 503 not_configured when the key is
 * not set). Body `{items: [{productId, quantity} | {name, unitPrice: "149.90", quantity}],
 * customer?: {name?, email?, phone?}, note?, conversationId?, channel?, expiresInDays?,
 * checkout?: true}` -> 201 `{quoteId, total, currency, items, expiresAt, checkout?: {url, sessionId}}`.
 * The shopper pays it with POST /api/checkout `{quoteId}`, once.
 */
import { createQuote, quoteRequestSchema } from "../lib/checkout/index.js";
import { bearerMatches } from "../lib/auth.js";
import { ApiError } from "../lib/errors.js";
import { json, route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("quote", {
  POST: {
    // The admin key is checked before the body is parsed: a caller without it learns nothing.
    rawBody: true,
    async handler({ request, rawBody, services, waitUntil }) {
      const key = services.config.app.adminApiKey;
      if (!key) throw new ApiError("not_configured", "Quotes are not configured (set ADMIN_API_KEY).");
      if (!bearerMatches(request, key)) throw new ApiError("unauthorized", "Invalid or missing admin key.");
      const body = parseBody(request, rawBody);
      return json(await createQuote(services, body, { waitUntil }), { status: 201 });
    },
  },
});

function parseBody(request: Request, rawBody: string) {
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  let data: unknown;
  try {
    data = JSON.parse(rawBody);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  const parsed = quoteRequestSchema.safeParse(data);
  if (!parsed.success) {
    throw new ApiError("validation_failed", "The request body is invalid.", {
      details: parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message })),
    });
  }
  return parsed.data;
}
