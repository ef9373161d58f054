/**
 * Turns what a caller asked for into priced lines, with prices from the server only: catalogue
 * ids through getProduct (unknown, invisible or out of stock -> 422 naming the item), custom
 * lines (quotes, owner only) from their decimal unit price. Limits first, before any lookup.
 */
import type { Config } from "../config.js";
import { ApiError } from "../errors.js";
import type { Services } from "../services.js";
import { MoneyError, STRIPE_MAX_AMOUNT, lineTotal, toMinorUnits } from "../money/index.js";
import { loadProducts } from "./products.js";

/** One priced line, in the checkout currency's minor units. */
export interface PricedLine {
  /** Catalogue id, or null for a quote's custom line. */
  productId: string | null;
  name: string;
  /** Exact decimal string of the unit price, e.g. "19.99". */
  unitPrice: string;
  unitAmount: number;
  quantity: number;
  /** Public https image for Stripe's page, when the product has one Stripe can show. */
  imageUrl?: string | null;
}

export type RequestedLine = { productId: string; quantity: number } | { name: string; unitPrice: string; quantity: number };

/** CHECKOUT_MAX_LINES and CHECKOUT_MAX_QUANTITY: 400 validation_failed naming each bad line. */
export function checkLimits(config: Config, items: readonly { quantity: number }[]): void {
  const { maxLines, maxQuantity } = config.stripe;
  const details: { path: string; message: string }[] = [];
  if (items.length > maxLines) details.push({ path: "items", message: `at most ${maxLines} lines` });
  items.forEach((item, i) => {
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > maxQuantity) {
      details.push({ path: `items.${i}.quantity`, message: `must be an integer from 1 to ${maxQuantity}` });
    }
  });
  if (details.length) throw new ApiError("validation_failed", "The cart is invalid.", { details });
}

interface Problem { index: number; productId?: string; name?: string; reason: string }

const stripeImage = (url: string | null | undefined): string | null =>
  url && /^https:\/\//i.test(url) && !/\.svg(\?|$)/i.test(url) && url.length <= 2048 ? url : null;

/**
 * Prices the requested lines. Throws ApiError validation_failed (limits, malformed unit
 * price) or unprocessable (a product that cannot be sold, a total Stripe cannot charge).
 */
export async function priceLines(services: Services, items: readonly RequestedLine[]): Promise<PricedLine[]> {
  const { config } = services;
  const currency = config.stripe.currency;
  checkLimits(config, items);

  const ids = items.flatMap((i) => ("productId" in i ? [i.productId] : []));
  const products = ids.length ? await loadProducts(services, ids) : new Map();

  const problems: Problem[] = [];
  const lines: PricedLine[] = [];
  items.forEach((item, index) => {
    if (!("productId" in item)) {
      try {
        const unitAmount = toMinorUnits(item.unitPrice, currency);
        if (unitAmount <= 0) throw new MoneyError("must be more than zero");
        lines.push({ productId: null, name: item.name, unitPrice: item.unitPrice, unitAmount, quantity: item.quantity });
      } catch (err) {
        throw new ApiError("validation_failed", "A unit price is invalid.", {
          details: [{ path: `items.${index}.unitPrice`, message: (err as Error).message }],
        });
      }
      return;
    }
    const p = products.get(item.productId) ?? null;
    if (!p || !p.visible) return void problems.push({ index, productId: item.productId, reason: "unknown" });
    if (!p.inStock) return void problems.push({ index, productId: p.id, name: p.name, reason: "out_of_stock" });
    if (p.currency.toLowerCase() !== currency) {
      return void problems.push({ index, productId: p.id, name: p.name, reason: `priced_in_${p.currency.toLowerCase()}` });
    }
    try {
      const unitAmount = toMinorUnits(p.price, currency);
      if (unitAmount <= 0) return void problems.push({ index, productId: p.id, name: p.name, reason: "no_price" });
      lines.push({ productId: p.id, name: p.name, unitPrice: p.price, unitAmount, quantity: item.quantity, imageUrl: stripeImage(p.imageUrl) });
    } catch {
      problems.push({ index, productId: p.id, name: p.name, reason: "invalid_price" });
    }
  });

  if (problems.length) {
    const first = problems[0]!;
    const what = first.name ? `"${first.name}" (${first.productId})` : `"${first.productId}"`;
    const why = first.reason === "unknown" ? "is not available" : first.reason === "out_of_stock" ? "is out of stock" : "cannot be paid online";
    throw new ApiError("unprocessable", `The product ${what} ${why}.`, { details: problems });
  }

  const total = lines.reduce((sum, l) => sum + lineTotal(l.unitAmount, l.quantity), 0);
  if (total > STRIPE_MAX_AMOUNT) throw new ApiError("unprocessable", "The order total is above what can be paid online.", { details: [{ reason: "amount_too_large" }] });
  return lines;
}

export const totalOf = (lines: readonly PricedLine[]): number => lines.reduce((sum, l) => sum + lineTotal(l.unitAmount, l.quantity), 0);
