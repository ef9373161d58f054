/**
 * Wix Stores Catalog V1 (legacy sites): request bodies and the mapping to Product.
 * V1 `filter` and `sort` are JSON-encoded strings; prices are JSON numbers (converted to exact
 * decimal strings from their shortest form, never computed with).
 */
import { z } from "zod";
import { originalIfDiscounted, toDecimalOrNull } from "../../money/index.js";
import { shortDescription } from "../../shop/text.js";
import type { Product } from "../../shop/types.js";
import { joinPageUrl } from "./product-url.js";

export const V1_PRODUCTS_QUERY = "/stores-reader/v1/products/query";
export const V1_COLLECTIONS_QUERY = "/stores-reader/v1/collections/query";
export const v1ProductPath = (id: string) => `/stores-reader/v1/products/${encodeURIComponent(id)}`;

const Price = z.looseObject({
  currency: z.string().nullish(),
  price: z.number().nullish(),
  discountedPrice: z.number().nullish(),
});

export const V1Product = z.looseObject({
  id: z.string(),
  name: z.string(),
  slug: z.string().nullish(),
  visible: z.boolean().nullish(),
  description: z.string().nullish(),
  priceData: Price.nullish(),
  price: Price.nullish(), // deprecated top-level copy
  stock: z.looseObject({ inStock: z.boolean().nullish(), inventoryStatus: z.string().nullish() }).nullish(),
  media: z.looseObject({ mainMedia: z.looseObject({ image: z.looseObject({ url: z.string().nullish() }).nullish() }).nullish() }).nullish(),
  productPageUrl: z.looseObject({ base: z.string().nullish(), path: z.string().nullish() }).nullish(),
});
export type V1Product = z.infer<typeof V1Product>;

export const V1QueryResponse = z.looseObject({ products: z.array(z.unknown()).default([]) });
export const V1GetResponse = z.looseObject({ product: z.unknown() });
export const V1CollectionsResponse = z.looseObject({
  collections: z.array(z.looseObject({ id: z.string(), name: z.string(), slug: z.string().nullish() })).default([]),
});

/** Body of `POST /stores-reader/v1/products/query`: visible products whose name contains every word. */
export function v1SearchBody(opts: { words: string[]; collectionId?: string; limit: number }) {
  const clauses: Record<string, unknown>[] = opts.words.map((w) => ({ name: { $contains: w } }));
  const filter: Record<string, unknown> = { visible: true };
  if (clauses.length === 1) Object.assign(filter, clauses[0]);
  else if (clauses.length > 1) filter.$and = clauses;
  if (opts.collectionId) filter["collections.id"] = { $hasSome: [opts.collectionId] };
  return {
    query: { filter: JSON.stringify(filter), paging: { limit: opts.limit, offset: 0 } },
    includeVariants: false,
    includeHiddenProducts: false,
  };
}

export function v1CollectionsBody() {
  return { query: { paging: { limit: 100, offset: 0 } } };
}

/** A V1 product as a Product; null when it is hidden or has no usable price. */
export function mapV1Product(raw: unknown, fallbackCurrency: string): Product | null {
  const parsed = V1Product.safeParse(raw);
  if (!parsed.success) return null;
  const p = parsed.data;
  if (p.visible === false) return null;
  const priceData = p.priceData ?? p.price ?? {};
  const full = toDecimalOrNull(priceData.price);
  if (full === null) return null;
  const discounted = toDecimalOrNull(priceData.discountedPrice);
  const original = discounted !== null ? originalIfDiscounted(discounted, full) : null;
  const price = original !== null ? discounted! : full;
  const stock = p.stock;
  const inStock = stock?.inStock ?? (stock?.inventoryStatus ? stock.inventoryStatus !== "OUT_OF_STOCK" : true);
  return {
    id: p.id,
    name: p.name,
    price,
    originalPrice: original,
    currency: (priceData.currency ?? fallbackCurrency).toUpperCase(),
    imageUrl: p.media?.mainMedia?.image?.url || null,
    description: shortDescription(p.description),
    inStock,
    url: joinPageUrl(p.productPageUrl?.base, p.productPageUrl?.path),
    visible: true,
  };
}
