/**
 * Request schemas of the payment routes (zod, strict: an unknown key such as `price` or
 * `amount` anywhere in a checkout body is a 400). Limits that depend on the configuration
 * (CHECKOUT_MAX_QUANTITY, CHECKOUT_MAX_LINES) are checked by createCheckout / createQuote.
 */
// zod/mini: built at import on the checkout, quote and chat routes' cold starts.
import * as z from "zod/mini";

/** Hard caps whatever the configuration says (bodies stay small before any lookup). */
export const HARD_MAX_LINES = 100;
export const HARD_MAX_QUANTITY = 1000;

/**
 * A catalogue id (Wix GUID, demo slug): printable, no spaces, no URL syntax (/ ? # % \), and
 * not "." or ".." (which a URL path would resolve, turning a product read into another call).
 */
export const catalogueIdSchema = z
  .string()
  .check(
    z.trim(),
    z.minLength(1),
    z.maxLength(200),
    z.regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
    z.regex(/^[^/?#%\\]+$/, "must not contain / ? # % or \\"),
    z.refine((v: string) => !/^\.+$/.test(v), "is not an id"),
  );
const productId = catalogueIdSchema;
const quantity = z.number().check(z.int(), z.minimum(1), z.maximum(HARD_MAX_QUANTITY));
const email = z.email().check(z.maxLength(254));
/** Conversation ids: printable ASCII without spaces, as Stripe's client_reference_id takes them. */
export const conversationIdSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(200), z.regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"));
export const quoteIdSchema = z.string().check(z.regex(/^q_[A-Za-z0-9]{8,40}$/, "not a quote id"));
export const channelSchema = z.enum(["web", "whatsapp", "messenger"]);
const choiceText = z.string().check(z.trim(), z.minLength(1), z.maxLength(60));

/** A cart line: a catalogue id, a quantity and, for a product with options, the variant chosen. */
export const cartItemSchema = z.strictObject({ productId, quantity, variantId: z.optional(catalogueIdSchema) });

export const cartCheckoutSchema = z.strictObject({
  items: z.array(cartItemSchema).check(z.minLength(1), z.maxLength(HARD_MAX_LINES)),
  email: z.optional(email),
  conversationId: z.optional(conversationIdSchema),
});

export const quoteCheckoutSchema = z.strictObject({
  quoteId: quoteIdSchema,
  email: z.optional(email),
});

/** POST /api/checkout: a cart of catalogue ids, or a stored quote. Never a price. */
export const checkoutRequestSchema = z.union([cartCheckoutSchema, quoteCheckoutSchema]);
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

/**
 * What createCheckout accepts from code: the assistant may also name the channel, and name a
 * variant by the shopper's choices ({"Taille": "38"}) instead of its id.
 */
export const checkoutInputSchema = z.union([
  z.extend(cartCheckoutSchema, {
    channel: z.optional(channelSchema),
    items: z
      .array(z.extend(cartItemSchema, { choices: z.optional(z.record(choiceText, choiceText)) }))
      .check(z.minLength(1), z.maxLength(HARD_MAX_LINES)),
  }),
  quoteCheckoutSchema,
]);

/** A price as the owner types it: an exact decimal string, never a float. */
export const unitPriceSchema = z.string().check(z.trim(), z.regex(/^\d{1,8}(\.\d{1,3})?$/, 'must be a decimal string like "19.90"'));

export const quoteLineSchema = z.union([
  z.strictObject({ productId, quantity }),
  z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), unitPrice: unitPriceSchema, quantity }),
]);

/** POST /api/quote (owner only): the one place a price enters, on custom lines. */
export const quoteRequestSchema = z.strictObject({
  items: z.array(quoteLineSchema).check(z.minLength(1), z.maxLength(HARD_MAX_LINES)),
  customer: z.optional(
    z.strictObject({
      name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
      email: z.optional(email),
      phone: z.optional(z.string().check(z.trim(), z.minLength(3), z.maxLength(40))),
    }),
  ),
  note: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
  conversationId: z.optional(conversationIdSchema),
  channel: z.optional(channelSchema),
  /** The quote can be paid until then (default: no expiry). */
  expiresInDays: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(365))),
  /** Also open a Stripe Checkout session now and return its URL. */
  checkout: z.optional(z.boolean()),
});
export type QuoteRequest = z.infer<typeof quoteRequestSchema>;

/** GET /api/checkout?session_id=cs_... */
export const statusQuerySchema = z.object({
  session_id: z.string().check(z.regex(/^cs_[A-Za-z0-9_]{1,250}$/, "not a Checkout Session id")),
});
