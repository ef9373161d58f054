/**
 * search_products and get_product: the catalogue through getShop (Wix or the demo shop). Found
 * products become cards with buttons that work when pressed (`details:<id>`, `buy:<id>`). An
 * outage is a result the model (or the offline assistant) explains, never an empty list.
 */
import { isUnavailable } from "../../http/index.js";
import { toDecimalString } from "../../money/index.js";
import { getShop, ShopValidationError, type Product, type ProductOption, type ProductSearch } from "../../shop/index.js";
import { addButton, addProducts, type TurnContext } from "../context.js";
import { button, productCard } from "../format.js";
import { texts } from "../texts.js";
import type { GetProductInput, SearchProductsInput } from "./schemas.js";

export type CatalogueResult =
  | { status: "ok"; products: ModelProduct[] }
  | { status: "not_found" }
  | { status: "invalid"; field: string; message: string }
  | { status: "unavailable"; message: string };

/** What the model sees of a product: enough to answer, nothing it could mistake for a rule. */
export interface ModelProduct {
  id: string;
  name: string;
  price: string;
  originalPrice: string | null;
  currency: string;
  inStock: boolean;
  description: string;
  url: string | null;
  /** The choices to make before buying (sizes, colours), when the product has any. */
  options?: ProductOption[];
}

const forModel = (p: Product): ModelProduct => ({
  id: p.id,
  name: p.name,
  price: p.price,
  originalPrice: p.originalPrice,
  currency: p.currency,
  inStock: p.inStock,
  description: p.description,
  url: p.url,
  ...(p.options?.length ? { options: p.options } : {}),
});

/** The tool's arguments as a catalogue search (price bounds as exact decimal strings). */
export function searchFromInput(input: SearchProductsInput): ProductSearch {
  return {
    query: input.query,
    ...(input.category ? { category: input.category } : {}),
    ...(input.colour ? { colour: input.colour } : {}),
    ...(input.material ? { material: input.material } : {}),
    ...(input.minPrice !== undefined ? { minPrice: toDecimalString(input.minPrice) } : {}),
    ...(input.maxPrice !== undefined ? { maxPrice: toDecimalString(input.maxPrice) } : {}),
    ...(input.inStockOnly !== undefined ? { inStockOnly: input.inStockOnly } : {}),
    ...(input.sort ? { sort: input.sort } : {}),
    limit: Math.min(Math.max(Math.trunc(input.limit ?? 5), 1), 8),
  };
}

/** A catalogue outage (upstream, breaker, or the demo shop's database). */
export function isCatalogueOutage(err: unknown): boolean {
  return isUnavailable(err) || (err as Error)?.name === "StoreError";
}

export function catalogueDown(ctx: TurnContext, tool: string): CatalogueResult {
  ctx.draft.catalogueDown = true;
  ctx.draft.tools.push({ name: tool, status: "unavailable" });
  return { status: "unavailable", message: texts(ctx.lang).catalogueDown };
}

/** Products as cards (up to 5) with a details button for the first three. */
export function showProducts(ctx: TurnContext, products: Product[]): void {
  const shown = products.slice(0, 5);
  addProducts(ctx.draft, shown.map(productCard));
  for (const p of shown.slice(0, 3)) addButton(ctx.draft, button(p.name, `details:${p.id}`));
}

/** One product as a card with its buy button (when in stock). */
export function showProduct(ctx: TurnContext, p: Product): void {
  addProducts(ctx.draft, [productCard(p)]);
  if (p.inStock) addButton(ctx.draft, button(texts(ctx.lang).button.buy, `buy:${p.id}`));
}

export async function searchProductsTool(ctx: TurnContext, input: SearchProductsInput): Promise<CatalogueResult> {
  let products: Product[];
  try {
    products = await getShop(ctx.services).searchProducts(searchFromInput(input));
  } catch (err) {
    if (isCatalogueOutage(err)) return catalogueDown(ctx, "search_products");
    if (err instanceof ShopValidationError) {
      ctx.draft.tools.push({ name: "search_products", status: "invalid" });
      return { status: "invalid", field: err.field, message: err.message };
    }
    throw err;
  }
  ctx.draft.tools.push({ name: "search_products", status: products.length ? "ok" : "empty" });
  showProducts(ctx, products);
  return { status: "ok", products: products.map(forModel) };
}

export async function getProductTool(ctx: TurnContext, input: GetProductInput): Promise<CatalogueResult> {
  let product: Product | null;
  try {
    product = await getShop(ctx.services).getProduct(input.productId);
  } catch (err) {
    if (isCatalogueOutage(err)) return catalogueDown(ctx, "get_product");
    throw err;
  }
  ctx.draft.tools.push({ name: "get_product", status: product ? "ok" : "not_found" });
  if (!product) return { status: "not_found" };
  showProduct(ctx, product);
  return { status: "ok", products: [forModel(product)] };
}
