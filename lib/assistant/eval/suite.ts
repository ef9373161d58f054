/**
 * lib/assistant/eval — conversation suites for `npm run eval` (evals/**): the suite format
 * (this file), the checks on a reply (checks.ts) and the runner that plays conversations through
 * handleTurn and scores them (run.ts). Used by scripts/eval.ts and by the CI test with a floor.
 *
 * A suite is a JSON file: conversations of turns; a turn is what the shopper types (`user`) or
 * a button they press (`press`: a payload prefix or words of the button's title), and what the
 * reply must show (`expect`). A conversation is helpful when every expectation holds.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import * as z from "zod";

const decimal = z.string().regex(/^\d+(\.\d{1,2})?$/, "a decimal string like 49.00");

export const productsExpect = z
  .object({
    /** At least this many cards (default 0). */
    min: z.number().int().min(0).optional(),
    /** At most this many cards. */
    max: z.number().int().min(0).optional(),
    /** Exactly this many cards. */
    count: z.number().int().min(0).optional(),
    /** Each of these ids is among the cards. */
    someIds: z.array(z.string()).optional(),
    /** None of these ids is among the cards. */
    noIds: z.array(z.string()).optional(),
    /** The first card. */
    firstId: z.string().optional(),
    /** Every card belongs to a collection whose name or slug (folded) contains this. */
    category: z.string().optional(),
    /** Every card's price is at most / at least this. */
    maxPrice: decimal.optional(),
    minPrice: decimal.optional(),
    /** Every card is in stock. */
    inStock: z.boolean().optional(),
  })
  .strict();

export const turnExpect = z
  .object({
    /** Every string appears in the reply text (case, accents and no-break spaces ignored). */
    contains: z.array(z.string()).optional(),
    /** At least one string appears. */
    anyOf: z.array(z.string()).optional(),
    /** None appears. */
    notContains: z.array(z.string()).optional(),
    /** A regular expression (case-insensitive) over the folded text. */
    matches: z.string().optional(),
    products: productsExpect.optional(),
    /** A tool was called in this turn, with these arguments (a subset, compared folded). */
    tool: z.object({ name: z.string(), args: z.record(z.string(), z.unknown()).optional() }).strict().optional(),
    /** The conversation is (true) or is not (false) handed to a person in this reply. */
    handoff: z.boolean().optional(),
    /** A coupon offer within the shop's caps (within: true), or no offer at all (false). */
    coupon: z.union([z.literal(false), z.object({ within: z.literal(true) }).strict()]).optional(),
    /** The verified cart total appears in the reply ("121.00" matches 121,00 € and €121.00). */
    total: decimal.optional(),
    /** A checkout (or, without payments, the verified total) was prepared. */
    checkout: z.boolean().optional(),
    /** Button titles or payload prefixes that must be offered. */
    buttons: z.array(z.string()).optional(),
    /** The answer quotes the knowledge base (a search_knowledge hit) — true — or does not. */
    kb: z.boolean().optional(),
  })
  .strict();

export const turnSpec = z
  .object({
    user: z.string().max(2000).optional(),
    /** Presses a button of the previous reply: a payload prefix ("buy:") or words of its title ("38"). */
    press: z.string().optional(),
    expect: turnExpect.optional(),
  })
  .strict()
  .refine((t) => (t.user === undefined) !== (t.press === undefined), "a turn has either user or press");

export const conversationSpec = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    lang: z.enum(["fr", "en"]),
    topic: z.string(),
    turns: z.array(turnSpec).min(1),
  })
  .strict();

export const suiteSpec = z.object({
  name: z.string(),
  description: z.string().optional(),
  conversations: z.array(conversationSpec).min(1),
});

export type ProductsExpect = z.infer<typeof productsExpect>;
export type TurnExpect = z.infer<typeof turnExpect>;
export type TurnSpec = z.infer<typeof turnSpec>;
export type ConversationSpec = z.infer<typeof conversationSpec>;
export type SuiteSpec = z.infer<typeof suiteSpec>;

/** Every *.json suite of a folder (not its sub-folders), validated; ids unique across them. */
export function loadSuites(dir: string): SuiteSpec[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json") && statSync(path.join(dir, f)).isFile())
    .sort();
  const suites = files.map((f) => {
    const parsed = suiteSpec.safeParse(JSON.parse(readFileSync(path.join(dir, f), "utf8")));
    if (!parsed.success) throw new Error(`${path.join(dir, f)}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return parsed.data;
  });
  const seen = new Set<string>();
  for (const c of suites.flatMap((s) => s.conversations)) {
    if (seen.has(c.id)) throw new Error(`conversation id ${c.id} is used twice in ${dir}`);
    seen.add(c.id);
  }
  return suites;
}
