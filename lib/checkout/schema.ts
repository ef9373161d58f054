/**
 * Request schemas of the payment routes (zod, strict: an unknown key such as `price` or
 * `amount` anywhere in a checkout body is a 400). Limits that depend on the configuration
 * (CHECKOUT_MAX_QUANTITY, CHECKOUT_MAX_LINES) are checked by createCheckout / createQuote.
 */
import * as z from "zod";

/** Hard caps whatever the configuration says (bodies stay small before any lookup). */
export const HARD_MAX_LINES = 100;
export const HARD_MAX_QUANTITY = 1000;

/**
 * A catalogue id (Wix GUID, demo slug): printable, no spaces, no URL syntax (/ ? # % \), and
 * not "." or ".." (which a URL path would resolve, turning a product read into another call).
 */
export const catalogueIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
  .regex(/^[^/?#%\\]+$/, "must not contain / ? # % or \\")
  .refine((v) => !/^\.+$/.test(v), "is not an id");
const productId = catalogueIdSchema;
const quantity = z.number().int().min(1).max(HARD_MAX_QUANTITY);
const email = z.email().max(254);
/** Conversation ids: printable ASCII without spaces, as Stripe's client_reference_id takes them. */
export const conversationIdSchema = z.string().trim().min(1).max(200).regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");
export const quoteIdSchema = z.string().regex(/^q_[A-Za-z0-9]{8,40}$/, "not a quote id");
export const channelSchema = z.enum(["web", "whatsapp", "messenger"]);

/** A cart line: a catalogue id, a quantity and, for a product with options, the variant chosen. */
export const cartItemSchema = z.strictObject({ productId, quantity, variantId: catalogueIdSchema.optional() });

export const cartCheckoutSchema = z.strictObject({
  items: z.array(cartItemSchema).min(1).max(HARD_MAX_LINES),
  email: email.optional(),
  conversationId: conversationIdSchema.optional(),
});

export const quoteCheckoutSchema = z.strictObject({
  quoteId: quoteIdSchema,
  email: email.optional(),
});

/** POST /api/checkout: a cart of catalogue ids, or a stored quote. Never a price. */
export const checkoutRequestSchema = z.union([cartCheckoutSchema, quoteCheckoutSchema]);
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

/**
 * What createCheckout accepts from code: the assistant may also name the channel, and name a
 * variant by the shopper's choices ({"Taille": "38"}) instead of its id.
 */
export const checkoutInputSchema = z.union([
  cartCheckoutSchema.extend({
    channel: channelSchema.optional(),
    items: z
      .array(cartItemSchema.extend({ choices: z.record(z.string().trim().min(1).max(60), z.string().trim().min(1).max(60)).optional() }))
      .min(1)
      .max(HARD_MAX_LINES),
  }),
  quoteCheckoutSchema,
]);

/** A price as the owner types it: an exact decimal string, never a float. */
export const unitPriceSchema = z.string().trim().regex(/^\d{1,8}(\.\d{1,3})?$/, 'must be a decimal string like "19.90"');

export const quoteLineSchema = z.union([
  z.strictObject({ productId, quantity }),
  z.strictObject({ name: z.string().trim().min(1).max(200), unitPrice: unitPriceSchema, quantity }),
]);

/** POST /api/quote (owner only): the one place a price enters, on custom lines. */
export const quoteRequestSchema = z.strictObject({
  items: z.array(quoteLineSchema).min(1).max(HARD_MAX_LINES),
  customer: z
    .strictObject({
      name: z.string().trim().min(1).max(200).optional(),
      email: email.optional(),
      phone: z.string().trim().min(3).max(40).optional(),
    })
    .optional(),
  note: z.string().trim().max(2000).optional(),
  conversationId: conversationIdSchema.optional(),
  channel: channelSchema.optional(),
  /** The quote can be paid until then (default: no expiry). */
  expiresInDays: z.number().int().min(1).max(365).optional(),
  /** Also open a Stripe Checkout session now and return its URL. */
  checkout: z.boolean().optional(),
});
export type QuoteRequest = z.infer<typeof quoteRequestSchema>;

/** GET /api/checkout?session_id=cs_... */
export const statusQuerySchema = z.object({
  session_id: z.string().regex(/^cs_[A-Za-z0-9_]{1,250}$/, "not a Checkout Session id"),
});
