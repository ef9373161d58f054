/**
 * Wix Stores Catalog V1 (legacy sites): request bodies and the mapping to Product.
 * V1 `filter` and `sort` are JSON-encoded strings; prices are JSON numbers (converted to exact
 * decimal strings from their shortest form, never computed with).
 */
import * as z from "zod/mini";
import { compareDecimal, originalIfDiscounted, toDecimalOrNull } from "../../money/index.js";
import { shortDescription } from "../../shop/text.js";
import type { Product, ProductOption, ProductVariant } from "../../shop/types.js";
import { wixPath } from "./client.js";
import { joinPageUrl } from "./product-url.js";

export const V1_PRODUCTS_QUERY = "/stores-reader/v1/products/query";
export const V1_COLLECTIONS_QUERY = "/stores-reader/v1/collections/query";
/** Throws InvalidWixIdError for ".", ".." and other non-ids (see wixPath). */
export const v1ProductPath = (id: string) => wixPath`/stores-reader/v1/products/${id}`;

const Price = z.looseObject({
  currency: z.nullish(z.string()),
  price: z.nullish(z.number()),
  discountedPrice: z.nullish(z.number()),
});

export const V1Product = z.looseObject({
  id: z.string(),
  name: z.string(),
  slug: z.nullish(z.string()),
  visible: z.nullish(z.boolean()),
  description: z.nullish(z.string()),
  priceData: z.nullish(Price),
  price: z.nullish(Price), // deprecated top-level copy
  stock: z.nullish(z.looseObject({ inStock: z.nullish(z.boolean()), inventoryStatus: z.nullish(z.string()) })),
  media: z.nullish(z.looseObject({ mainMedia: z.nullish(z.looseObject({ image: z.nullish(z.looseObject({ url: z.nullish(z.string()) })) })) })),
  productPageUrl: z.nullish(z.looseObject({ base: z.nullish(z.string()), path: z.nullish(z.string()) })),
  manageVariants: z.nullish(z.boolean()),
  productOptions: z.nullish(
    z.array(z.looseObject({ name: z.string(), choices: z.nullish(z.array(z.looseObject({ value: z.nullish(z.string()), description: z.nullish(z.string()), visible: z.nullish(z.boolean()) }))) })),
  ),
  variants: z.nullish(
    z.array(
      z.looseObject({
        id: z.string(),
        choices: z.nullish(z.record(z.string(), z.string())),
        variant: z.nullish(z.looseObject({ priceData: z.nullish(Price), sku: z.nullish(z.string()), visible: z.nullish(z.boolean()) })),
        stock: z.nullish(z.looseObject({ trackQuantity: z.nullish(z.boolean()), quantity: z.nullish(z.number()), inStock: z.nullish(z.boolean()) })),
      }),
    ),
  ),
});
export type V1Product = z.infer<typeof V1Product>;

export const V1QueryResponse = z.looseObject({ products: z._default(z.array(z.unknown()), []) });
export const V1GetResponse = z.looseObject({ product: z.unknown() });
export const V1CollectionsResponse = z.looseObject({
  collections: z._default(z.array(z.looseObject({ id: z.string(), name: z.string(), slug: z.nullish(z.string()) })), []),
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
    includeVariants: false, // search results leave variants out; getProduct reads them
    includeHiddenProducts: false,
  };
}

export function v1CollectionsBody() {
  return { query: { paging: { limit: 100, offset: 0 } } };
}

/** Price and discount of a V1 priceData: the price to pay and, when discounted, the original. */
function v1Prices(priceData: z.infer<typeof Price> | null | undefined): { price: string; original: string | null } | null {
  const full = toDecimalOrNull(priceData?.price);
  if (full === null) return null;
  const discounted = toDecimalOrNull(priceData?.discountedPrice);
  const original = discounted !== null ? originalIfDiscounted(discounted, full) : null;
  return { price: original !== null ? discounted! : full, original };
}

/**
 * V1 options and variants. Options are `productOptions[].choices[].value` (description is the
 * label Wix shows; value is what `variants[].choices` names). Each variant has its own price
 * (`variant.priceData`, the product's when absent), SKU and stock (`trackQuantity`, `quantity`).
 * A product without options has no variants here (its single default variant is implicit).
 */
function v1OptionsAndVariants(p: V1Product, base: { price: string; original: string | null }): { options: ProductOption[]; variants: ProductVariant[] } {
  const options: ProductOption[] = (p.productOptions ?? [])
    .map((o) => ({
      name: o.name,
      choices: (o.choices ?? []).filter((c) => c.visible !== false).map((c) => c.value ?? c.description ?? "").filter(Boolean),
    }))
    .filter((o) => o.name && o.choices.length > 0);
  if (!options.length) return { options: [], variants: [] };
  const variants: ProductVariant[] = [];
  for (const v of p.variants ?? []) {
    const prices = v1Prices(v.variant?.priceData) ?? base;
    const tracked = v.stock?.trackQuantity === true;
    const quantity = tracked && typeof v.stock?.quantity === "number" ? Math.max(0, Math.trunc(v.stock.quantity)) : null;
    variants.push({
      id: v.id,
      choices: { ...(v.choices ?? {}) },
      price: prices.price,
      originalPrice: prices.original,
      sku: v.variant?.sku || null,
      inStock: v.stock?.inStock ?? (quantity !== null ? quantity > 0 : true),
      stock: quantity,
      visible: v.variant?.visible !== false,
    });
  }
  return { options, variants };
}

/** The lowest of the sellable variants' prices (the product's own when there are none). */
function lowest(variants: ProductVariant[], fallback: { price: string; original: string | null }) {
  const shown = variants.filter((v) => v.visible);
  if (!shown.length) return fallback;
  const min = shown.reduce((a, b) => (compareDecimal(b.price, a.price) < 0 ? b : a));
  return { price: min.price, original: min.originalPrice };
}

/**
 * A V1 product as a Product; null when it is hidden or has no usable price. With variants
 * (`includeVariants` or Get Product) it carries options and variants; a product whose options
 * are not managed as variants (`manageVariants: false`) is bought by its chosen values
 * (`variantsByChoice`), as Wix's checkout expects for V1.
 */
export function mapV1Product(raw: unknown, fallbackCurrency: string): Product | null {
  const parsed = V1Product.safeParse(raw);
  if (!parsed.success) return null;
  const p = parsed.data;
  if (p.visible === false) return null;
  const priceData = p.priceData ?? p.price ?? {};
  const base = v1Prices(priceData);
  if (base === null) return null;
  const { options, variants } = v1OptionsAndVariants(p, base);
  const { price, original } = lowest(variants, base);
  const stock = p.stock;
  const productInStock = stock?.inStock ?? (stock?.inventoryStatus ? stock.inventoryStatus !== "OUT_OF_STOCK" : true);
  const inStock = variants.length ? variants.some((v) => v.visible && v.inStock) : productInStock;
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
    ...(options.length ? { options, variants, ...(p.manageVariants === true ? {} : { variantsByChoice: true }) } : {}),
  };
}
