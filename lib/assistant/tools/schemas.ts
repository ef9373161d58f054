/**
 * The tools' input schemas (zod), as the model sees them. They are deliberately narrow: no
 * price, no discount code, no recipient address, no conversation id — what the model may not
 * decide is not a parameter. Unknown keys are dropped; every value is checked again by the
 * tool itself against the configuration (caps, limits) before anything happens.
 */
// zod/mini (descriptions with z.describe): built at import on the chat turn's cold start; the AI
// SDK reads any zod 4 schema.
import * as z from "zod/mini";

const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const upTo = (max: number) => z.string().check(z.maxLength(max));
const price = z.number().check(z.minimum(0), z.maximum(1_000_000));

export const searchProductsInput = z.object({
  query: text(1, 100).check(
    z.describe("The shopper's product words, as typed (any language, typos are fine), e.g. 'robe lin', 'red shoes', 'bougie moins de 30 €'."),
  ),
  category: z.optional(upTo(60)).check(z.describe("Optional collection, e.g. 'Robes' or 'dresses'.")),
  colour: z.optional(upTo(60)).check(z.describe("Optional colour the product must have, e.g. 'bleu' or 'navy'.")),
  material: z.optional(upTo(60)).check(z.describe("Optional material the product must be made of, e.g. 'lin' or 'leather'.")),
  minPrice: z.optional(price).check(z.describe("Optional lowest price, in the shop's currency.")),
  maxPrice: z.optional(price).check(z.describe("Optional highest price, in the shop's currency (e.g. 50 for 'under 50').")),
  inStockOnly: z.optional(z.boolean()).check(z.describe("True to list only products that can be bought now.")),
  sort: z.optional(z.enum(["relevance", "price_asc", "price_desc"])).check(z.describe("price_asc for the cheapest first, price_desc for the most expensive first.")),
  limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(8))).check(z.describe("How many products (1-8, default 5).")),
});

export const getProductInput = z.object({
  productId: text(1, 200).check(z.describe("A product id returned by search_products.")),
});

export const searchKnowledgeInput = z.object({
  query: text(1, 300).check(z.describe("The shopper's question about shipping, returns, sizes, payment, care, contact...")),
});

export const captureLeadInput = z.object({
  email: text(3, 254).check(z.describe("The email address the shopper typed in this conversation.")),
  name: z.optional(upTo(100)),
  phone: z.optional(upTo(32)).check(z.describe("Only a phone number the shopper typed.")),
  message: z.optional(upTo(500)).check(z.describe("What the shopper wants, in a sentence.")),
});

export const offerCouponInput = z.object({
  type: z.optional(z.enum(["PERCENTAGE", "FIXED_AMOUNT", "FREE_SHIPPING"])),
  value: z.optional(z.number()).check(z.describe("Percent or amount; the shop's caps apply whatever is asked.")),
  reason: z.optional(upTo(200)).check(z.describe("Why the offer is made (for the shop owner).")),
});

export const createCheckoutLinkInput = z.object({
  items: z
    .array(
      z.object({
        productId: text(1, 200),
        quantity: z.number().check(z.int(), z.minimum(1), z.maximum(1000)),
        variantId: z.optional(text(1, 200)).check(z.describe("The variant id from get_product, for a product with options.")),
        // A list, not a map: Gemini's function declarations take no free-form object keys.
        choices: z
          .optional(z.array(z.object({ option: text(1, 60), value: text(1, 60) })).check(z.maxLength(5)))
          .check(
            z.describe('Or the shopper\'s choices, e.g. [{"option": "Taille", "value": "38"}]. If a choice is missing, the result says which option to ask for.'),
          ),
      }),
    )
    .check(z.minLength(1), z.maxLength(100), z.describe("Catalogue product ids and quantities. Prices are never sent: the server reads them.")),
  email: z.optional(upTo(254)).check(z.describe("Only an email address the shopper typed.")),
});

export const orderStatusInput = z.object({
  orderNumber: text(1, 40).check(z.describe("The order number the shopper gave, e.g. '1042' or '#10023'.")),
  email: z.optional(upTo(254)).check(z.describe("Only the email address the shopper typed for this order.")),
});

export const handoffInput = z.object({
  reason: z.optional(upTo(300)).check(z.describe("What the shopper needs a person for.")),
});

export type SearchProductsInput = z.infer<typeof searchProductsInput>;
export type GetProductInput = z.infer<typeof getProductInput>;
export type SearchKnowledgeInput = z.infer<typeof searchKnowledgeInput>;
export type CaptureLeadInput = z.infer<typeof captureLeadInput>;
export type OfferCouponInput = z.infer<typeof offerCouponInput>;
export type CreateCheckoutLinkInput = z.infer<typeof createCheckoutLinkInput>;
export type HandoffInput = z.infer<typeof handoffInput>;
export type OrderStatusInput = z.infer<typeof orderStatusInput>;
