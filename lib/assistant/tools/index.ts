/**
 * The assistant's tools, shared by the model loop (as AI SDK tools) and the offline assistant
 * (called directly). Each one enforces its policy itself, whatever its caller asks.
 */
import type { $ZodType, output } from "zod/v4/core";
import type { TurnContext } from "../context.js";
import { getProductTool, searchProductsTool } from "./catalogue.js";
import { createCheckoutLinkTool } from "./checkout.js";
import { offerCouponTool } from "./coupon.js";
import { handoffTool } from "./handoff.js";
import { searchKnowledgeTool } from "./knowledge.js";
import { captureLeadTool } from "./lead.js";
import { orderStatusTool } from "./order-status.js";
import {
  captureLeadInput, createCheckoutLinkInput, getProductInput, handoffInput, offerCouponInput,
  orderStatusInput, searchKnowledgeInput, searchProductsInput,
} from "./schemas.js";

export interface ToolSpec<S extends $ZodType> {
  description: string;
  input: S;
  run(ctx: TurnContext, input: output<S>): Promise<unknown>;
}

const spec = <S extends $ZodType>(s: ToolSpec<S>) => s;

export const TOOLS = {
  search_products: spec({
    description: "Search the shop's catalogue. Use it for any question about products, prices or stock. Returns products with id, price and stock.",
    input: searchProductsInput,
    run: searchProductsTool,
  }),
  get_product: spec({
    description: "Get one product by id (price, stock, description, link).",
    input: getProductInput,
    run: getProductTool,
  }),
  search_knowledge: spec({
    description: "Search the shop's information pages: shipping, delivery times and costs, returns and refunds, sizes, payment methods, product care, contact, opening hours.",
    input: searchKnowledgeInput,
    run: searchKnowledgeTool,
  }),
  capture_lead: spec({
    description: "Save the shopper's contact details so the shop can get back to them. Only with an email address the shopper typed.",
    input: captureLeadInput,
    run: captureLeadTool,
  }),
  offer_coupon: spec({
    description:
      "Offer the shopper a discount when they ask for one or hesitate. Creates a stored offer within the shop's limits (the server decides the final value); the shopper gets the code with a button. Never invent a code.",
    input: offerCouponInput,
    run: offerCouponTool,
  }),
  create_checkout_link: spec({
    description: "Create a secure payment link for catalogue products (ids from search_products) and quantities. The server computes the prices and the total.",
    input: createCheckoutLinkInput,
    run: createCheckoutLinkTool,
  }),
  order_status: spec({
    description:
      "Status of an order the shopper placed: payment, shipping and tracking link, from the order number and the email used for the order. Only the buyer gets an answer: if the result asks for the email, ask the shopper for it.",
    input: orderStatusInput,
    run: orderStatusTool,
  }),
  handoff_to_human: spec({
    description: "Pass the conversation to a person from the shop when the shopper asks for a human, is unhappy, or needs something you cannot do.",
    input: handoffInput,
    run: handoffTool,
  }),
} as const;

export type ToolName = keyof typeof TOOLS;
export { searchProductsTool, getProductTool, showProducts, showProduct, isCatalogueOutage } from "./catalogue.js";
export { searchKnowledgeTool, knowledgeHits } from "./knowledge.js";
export { captureLeadTool, shopperGaveEmail } from "./lead.js";
export { offerCouponTool, contactKeyOf } from "./coupon.js";
export { createCheckoutLinkTool } from "./checkout.js";
export { orderStatusTool } from "./order-status.js";
export { handoffTool } from "./handoff.js";
