/**
 * Dialogue state: what a conversation remembers between turns beyond its messages, stored as one
 * jsonb document per conversation (chat_dialogue, loaded and saved in the turn's two existing
 * round trips). Read defensively: a stored state from an older version, or none, is an empty one.
 */
import * as z from "zod";

const decimal = z.string().regex(/^\d+(\.\d{1,2})?$/);

/** Constraints on a catalogue search, kept so that a follow-up can refine the last one. */
export const searchFilters = z.object({
  minPrice: decimal.optional(),
  maxPrice: decimal.optional(),
  inStock: z.boolean().optional(),
  sort: z.enum(["price_asc", "price_desc"]).optional(),
  colour: z.string().max(40).optional(),
  size: z.string().max(20).optional(),
});
export type SearchFilters = z.infer<typeof searchFilters>;

export const pendingQuestion = z.discriminatedUnion("kind", [
  /** Which value of an option (size, colour) before checkout; the rest of the cart waits with it. */
  z.object({
    kind: z.literal("variant"),
    productId: z.string().max(200),
    quantity: z.number().int().min(1).max(1000),
    /** Options already chosen ({"Taille":"38"}). */
    chosen: z.record(z.string(), z.string()),
    /** Other lines of the same cart, already resolved. */
    others: z.array(z.object({ productId: z.string().max(200), quantity: z.number().int().min(1).max(1000), variantId: z.string().max(200).optional() })).max(20),
  }),
  /** The order number is known; its buyer's email is asked for. */
  z.object({ kind: z.literal("order_email"), orderNumber: z.string().max(40) }),
]);
export type PendingQuestion = z.infer<typeof pendingQuestion>;

export const dialogueState = z.object({
  /** Product ids of the last list shown, in the order shown. */
  shown: z.array(z.string().max(200)).max(12).default([]),
  /** The product the conversation is about ("it", "that one"). */
  focus: z.string().max(200).nullable().default(null),
  /** The last catalogue search: its product words and filters. */
  search: z.object({ query: z.string().max(200), filters: searchFilters }).nullable().default(null),
  pending: pendingQuestion.nullable().default(null),
});
export type DialogueState = z.infer<typeof dialogueState>;

export const emptyDialogue = (): DialogueState => ({ shown: [], focus: null, search: null, pending: null });

/** The stored state, or an empty one when absent or unreadable. */
export function readDialogue(raw: unknown, lastProducts: string[] = []): DialogueState {
  const parsed = dialogueState.safeParse(raw ?? {});
  const state = parsed.success ? parsed.data : emptyDialogue();
  // Conversations from before the state existed: the cards of the last reply.
  if (!state.shown.length && lastProducts.length) state.shown = lastProducts.slice(0, 12);
  return state;
}
