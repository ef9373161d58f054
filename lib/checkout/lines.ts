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
import { chooseVariant, variantLabel } from "./variants.js";

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
  /** The variant bought, when the product has variants (its own price, stock, SKU). */
  variantId?: string | null;
  choices?: Record<string, string>;
  /** Wix V1 options not managed as variants: the checkout names the values, not the id. */
  byChoice?: boolean;
}

export type RequestedLine =
  | { productId: string; quantity: number; variantId?: string | undefined; choices?: Record<string, string> | undefined }
  | { name: string; unitPrice: string; quantity: number };

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

interface Problem { index: number; productId?: string; name?: string; reason: string; option?: string; choices?: string[]; variantId?: string }

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
    const pick = chooseVariant(p, { variantId: item.variantId, choices: item.choices });
    switch (pick.kind) {
      case "needs_choice":
        return void problems.push({ index, productId: p.id, name: p.name, reason: "needs_choice", option: pick.option, choices: pick.choices });
      case "unknown_variant":
        return void problems.push({ index, productId: p.id, name: p.name, reason: "unknown_variant", ...(item.variantId ? { variantId: item.variantId } : {}) });
      case "out_of_stock":
        return void problems.push({ index, productId: p.id, name: pick.variant ? `${p.name} (${variantLabel(pick.variant)})` : p.name, reason: "out_of_stock" });
      case "none":
        if (!p.inStock && !p.preorder) return void problems.push({ index, productId: p.id, name: p.name, reason: "out_of_stock" });
        break;
      case "variant":
        break;
    }
    const variant = pick.kind === "variant" ? pick.variant : null;
    if (p.currency.toLowerCase() !== currency) {
      return void problems.push({ index, productId: p.id, name: p.name, reason: `priced_in_${p.currency.toLowerCase()}` });
    }
    const price = variant?.price ?? p.price;
    const name = variant && Object.keys(variant.choices).length ? `${p.name} (${variantLabel(variant)})` : p.name;
    try {
      const unitAmount = toMinorUnits(price, currency);
      if (unitAmount <= 0) return void problems.push({ index, productId: p.id, name, reason: "no_price" });
      lines.push({
        productId: p.id, name, unitPrice: price, unitAmount, quantity: item.quantity, imageUrl: stripeImage(p.imageUrl),
        ...(variant ? { variantId: variant.id, choices: variant.choices, ...(p.variantsByChoice ? { byChoice: true } : {}) } : {}),
      });
    } catch {
      problems.push({ index, productId: p.id, name, reason: "invalid_price" });
    }
  });

  if (problems.length) {
    const first = problems[0]!;
    const what = first.name ? `"${first.name}" (${first.productId})` : `"${first.productId}"`;
    if (first.reason === "needs_choice") {
      throw new ApiError("unprocessable", `Choose the ${first.option} of ${what}: ${first.choices!.join(", ")}.`, { details: problems });
    }
    const why =
      first.reason === "unknown" ? "is not available"
      : first.reason === "unknown_variant" ? "is not available in this variant"
      : first.reason === "out_of_stock" ? "is out of stock"
      : "cannot be paid online";
    throw new ApiError("unprocessable", `The product ${what} ${why}.`, { details: problems });
  }

  const total = lines.reduce((sum, l) => sum + lineTotal(l.unitAmount, l.quantity), 0);
  if (total > STRIPE_MAX_AMOUNT) throw new ApiError("unprocessable", "The order total is above what can be paid online.", { details: [{ reason: "amount_too_large" }] });
  return lines;
}

export const totalOf = (lines: readonly PricedLine[]): number => lines.reduce((sum, l) => sum + lineTotal(l.unitAmount, l.quantity), 0);
