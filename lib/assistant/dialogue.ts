/**
 * Dialogue state: what a conversation remembers between turns beyond its messages, stored as one
 * jsonb document per conversation (chat_dialogue, loaded and saved in the turn's two existing
 * round trips). Read defensively: a stored state from an older version, or none, is an empty one.
 */
// zod/mini: built at import on the chat turn's cold start.
import * as z from "zod/mini";

const decimal = z.string().check(z.regex(/^\d+(\.\d{1,2})?$/));
const id = z.string().check(z.maxLength(200));
const quantity = z.number().check(z.int(), z.minimum(1), z.maximum(1000));

/** Constraints on a catalogue search, kept so that a follow-up can refine the last one. */
export const searchFilters = z.object({
  minPrice: z.optional(decimal),
  maxPrice: z.optional(decimal),
  inStock: z.optional(z.boolean()),
  sort: z.optional(z.enum(["price_asc", "price_desc"])),
  colour: z.optional(z.string().check(z.maxLength(40))),
  size: z.optional(z.string().check(z.maxLength(20))),
});
export type SearchFilters = z.infer<typeof searchFilters>;

export const pendingQuestion = z.discriminatedUnion("kind", [
  /** Which value of an option (size, colour) before checkout; the rest of the cart waits with it. */
  z.object({
    kind: z.literal("variant"),
    productId: id,
    quantity,
    /** Options already chosen ({"Taille":"38"}). */
    chosen: z.record(z.string(), z.string()),
    /** Other lines of the same cart, already resolved. */
    others: z.array(z.object({ productId: id, quantity, variantId: z.optional(id) })).check(z.maxLength(20)),
  }),
  /** The order number is known; its buyer's email is asked for. */
  z.object({ kind: z.literal("order_email"), orderNumber: z.string().check(z.maxLength(40)) }),
]);
export type PendingQuestion = z.infer<typeof pendingQuestion>;

export const dialogueState = z.object({
  /** Product ids of the last list shown, in the order shown. */
  shown: z._default(z.array(id).check(z.maxLength(12)), []),
  /** The product the conversation is about ("it", "that one"). */
  focus: z._default(z.nullable(id), null),
  /** The last catalogue search: its product words and filters. */
  search: z._default(z.nullable(z.object({ query: z.string().check(z.maxLength(200)), filters: searchFilters })), null),
  pending: z._default(z.nullable(pendingQuestion), null),
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
