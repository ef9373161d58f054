/**
 * Owner quotes ("devis"): POST /api/quote with the admin key. Catalogue lines are priced from
 * the shop at creation (the quote then holds that price); custom lines carry the owner's
 * decimal unit price — the only place a price enters the app. Stored server-side, announced to
 * the owner (notifyNewQuote), payable once through createCheckout({quoteId}), optionally expiring.
 */
import { randomBytes } from "node:crypto";
import { ApiError } from "../errors.js";
import { notifyNewQuote } from "./quote-notify.js";
import type { Services } from "../services.js";
import { createCheckout } from "./create.js";
import { priceLines, totalOf } from "./lines.js";
import { fromMinorUnits } from "../money/index.js";
import type { QuoteRequest } from "./schema.js";
import { quoteCreate, type QuoteRow } from "./store.js";
import type { CheckoutResult } from "./types.js";

export interface QuoteResult {
  quoteId: string;
  status: QuoteRow["status"];
  currency: string;
  amountTotal: number;
  total: string;
  items: { productId: string | null; name: string; unitPrice: string; quantity: number }[];
  expiresAt: string | null;
  /** Present when the request asked for `checkout: true`. */
  checkout?: CheckoutResult;
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
/** q_ + 20 random characters (about 115 bits): a quote id cannot be guessed. */
export function newQuoteId(): string {
  const bytes = randomBytes(20);
  let s = "";
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `q_${s}`;
}

export async function createQuote(
  services: Services,
  input: QuoteRequest,
  opts: { waitUntil?: (p: Promise<unknown>) => void } = {},
): Promise<QuoteResult> {
  const { config, store } = services;
  if (input.checkout && !config.stripe.configured) {
    throw new ApiError("payments_not_configured", "Online payment is not configured on this shop: the quote cannot be paid online.");
  }
  const lines = await priceLines(services, input.items);
  const currency = config.stripe.currency;
  const quote = await quoteCreate(store, {
    id: newQuoteId(),
    currency,
    amountTotal: totalOf(lines),
    items: lines.map((l) => ({ productId: l.productId, name: l.name, unitPrice: fromMinorUnits(l.unitAmount, currency), unitAmount: l.unitAmount, quantity: l.quantity })),
    customer: input.customer ?? {},
    note: input.note,
    conversationId: input.conversationId,
    channel: input.channel,
    expiresInSeconds: input.expiresInDays ? input.expiresInDays * 86_400 : undefined,
  });

  let checkout: CheckoutResult | undefined;
  if (input.checkout) checkout = await createCheckout(services, { quoteId: quote.id, ...(input.customer?.email ? { email: input.customer.email } : {}) });

  const total = fromMinorUnits(quote.amountTotal, quote.currency);
  const announce = notifyNewQuote(services, {
    id: quote.id,
    customerName: quote.customer.name ?? null,
    customerEmail: quote.customer.email ?? null,
    customerPhone: quote.customer.phone ?? null,
    items: quote.items.map((i) => ({ name: i.name, quantity: i.quantity, price: i.unitPrice })),
    total,
    currency: quote.currency,
    url: checkout?.url ?? null,
    expiresAt: quote.expiresAt,
    note: quote.note,
  }).catch((err: Error) => services.log.error("quote notification failed", { quoteId: quote.id, error: err.message }));
  if (opts.waitUntil) opts.waitUntil(announce);
  else await announce;

  return {
    quoteId: quote.id,
    status: quote.status,
    currency: quote.currency,
    amountTotal: quote.amountTotal,
    total,
    items: quote.items.map((i) => ({ productId: i.productId, name: i.name, unitPrice: i.unitPrice, quantity: i.quantity })),
    expiresAt: quote.expiresAt,
    ...(checkout ? { checkout } : {}),
  };
}
