/**
 * The tools' input schemas (zod), as the model sees them. They are deliberately narrow: no
 * price, no discount code, no recipient address, no conversation id — what the model may not
 * decide is not a parameter. Unknown keys are dropped; every value is checked again by the
 * tool itself against the configuration (caps, limits) before anything happens.
 */
import * as z from "zod";

export const searchProductsInput = z.object({
  query: z
    .string()
    .min(1)
    .max(100)
    .describe("The shopper's product words, as typed (any language, typos are fine), e.g. 'robe lin', 'red shoes', 'bougie moins de 30 €'."),
  category: z.string().max(60).optional().describe("Optional collection, e.g. 'Robes' or 'dresses'."),
  colour: z.string().max(60).optional().describe("Optional colour the product must have, e.g. 'bleu' or 'navy'."),
  material: z.string().max(60).optional().describe("Optional material the product must be made of, e.g. 'lin' or 'leather'."),
  minPrice: z.number().min(0).max(1_000_000).optional().describe("Optional lowest price, in the shop's currency."),
  maxPrice: z.number().min(0).max(1_000_000).optional().describe("Optional highest price, in the shop's currency (e.g. 50 for 'under 50')."),
  inStockOnly: z.boolean().optional().describe("True to list only products that can be bought now."),
  sort: z.enum(["relevance", "price_asc", "price_desc"]).optional().describe("price_asc for the cheapest first, price_desc for the most expensive first."),
  limit: z.number().int().min(1).max(8).optional().describe("How many products (1-8, default 5)."),
});

export const getProductInput = z.object({
  productId: z.string().min(1).max(200).describe("A product id returned by search_products."),
});

export const searchKnowledgeInput = z.object({
  query: z.string().min(1).max(300).describe("The shopper's question about shipping, returns, sizes, payment, care, contact..."),
});

export const captureLeadInput = z.object({
  email: z.string().min(3).max(254).describe("The email address the shopper typed in this conversation."),
  name: z.string().max(100).optional(),
  phone: z.string().max(32).optional().describe("Only a phone number the shopper typed."),
  message: z.string().max(500).optional().describe("What the shopper wants, in a sentence."),
});

export const offerCouponInput = z.object({
  type: z.enum(["PERCENTAGE", "FIXED_AMOUNT", "FREE_SHIPPING"]).optional(),
  value: z.number().optional().describe("Percent or amount; the shop's caps apply whatever is asked."),
  reason: z.string().max(200).optional().describe("Why the offer is made (for the shop owner)."),
});

export const createCheckoutLinkInput = z.object({
  items: z
    .array(
      z.object({
        productId: z.string().min(1).max(200),
        quantity: z.number().int().min(1).max(1000),
        variantId: z.string().min(1).max(200).optional().describe("The variant id from get_product, for a product with options."),
        // A list, not a map: Gemini's function declarations take no free-form object keys.
        choices: z
          .array(z.object({ option: z.string().min(1).max(60), value: z.string().min(1).max(60) }))
          .max(5)
          .optional()
          .describe('Or the shopper\'s choices, e.g. [{"option": "Taille", "value": "38"}]. If a choice is missing, the result says which option to ask for.'),
      }),
    )
    .min(1)
    .max(100)
    .describe("Catalogue product ids and quantities. Prices are never sent: the server reads them."),
  email: z.string().max(254).optional().describe("Only an email address the shopper typed."),
});

export const orderStatusInput = z.object({
  orderNumber: z.string().min(1).max(40).describe("The order number the shopper gave, e.g. '1042' or '#10023'."),
  email: z.string().max(254).optional().describe("Only the email address the shopper typed for this order."),
});

export const handoffInput = z.object({
  reason: z.string().max(300).optional().describe("What the shopper needs a person for."),
});

export type SearchProductsInput = z.infer<typeof searchProductsInput>;
export type GetProductInput = z.infer<typeof getProductInput>;
export type SearchKnowledgeInput = z.infer<typeof searchKnowledgeInput>;
export type CaptureLeadInput = z.infer<typeof captureLeadInput>;
export type OfferCouponInput = z.infer<typeof offerCouponInput>;
export type CreateCheckoutLinkInput = z.infer<typeof createCheckoutLinkInput>;
export type HandoffInput = z.infer<typeof handoffInput>;
export type OrderStatusInput = z.infer<typeof orderStatusInput>;
