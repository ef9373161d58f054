/**
 * Wix Stores Catalog V3 (new stores): request bodies and the mapping to Product. Amounts are
 * decimal strings; `url`, `currency` and the description come only when asked for in `fields`.
 */
import * as z from "zod/mini";
import { originalIfDiscounted, toDecimalOrNull } from "../../money/index.js";
import { shortDescription } from "../../shop/text.js";
import type { Product, ProductOption, ProductVariant } from "../../shop/types.js";
import { wixPath } from "./client.js";
import { joinPageUrl } from "./product-url.js";

export const V3_PRODUCTS_SEARCH = "/stores/v3/products/search";
export const V3_PRODUCTS_QUERY = "/stores/v3/products/query";
export const V3_CATEGORIES_QUERY = "/categories/v1/categories/query";
export const V3_FIELDS = ["URL", "CURRENCY", "PLAIN_DESCRIPTION", "THUMBNAIL"] as const;
/** Get Product also asks for the variants' option names (without it V3 leaves `optionChoiceNames` out). */
export const V3_GET_FIELDS = [...V3_FIELDS, "VARIANT_OPTION_CHOICE_NAMES"] as const;

/**
 * `GET /stores/v3/products/{id}` with its fields as repeated query parameters; the id is one
 * checked, encoded path segment (InvalidWixIdError otherwise).
 */
export function v3ProductPath(id: string): string {
  return `${wixPath`/stores/v3/products/${id}`}?${V3_GET_FIELDS.map((f) => `fields=${f}`).join("&")}`;
}

const Amount = z.looseObject({ amount: z.nullish(z.string()) });
const Range = z.looseObject({ minValue: z.nullish(Amount), maxValue: z.nullish(Amount) });
const Media = z.looseObject({
  url: z.nullish(z.string()),
  image: z.nullish(z.union([z.string(), z.looseObject({ url: z.nullish(z.string()) })])),
  thumbnail: z.nullish(z.looseObject({ url: z.nullish(z.string()) })),
});

export const V3Product = z.looseObject({
  id: z.string(),
  name: z.string(),
  slug: z.nullish(z.string()),
  visible: z.nullish(z.boolean()),
  actualPriceRange: z.nullish(Range),
  compareAtPriceRange: z.nullish(Range),
  inventory: z.nullish(z.looseObject({ availabilityStatus: z.nullish(z.string()), preorderStatus: z.nullish(z.string()) })),
  options: z.nullish(
    z.array(
      z.looseObject({
        name: z.nullish(z.string()),
        choicesSettings: z.nullish(z.looseObject({ choices: z.nullish(z.array(z.looseObject({ name: z.nullish(z.string()), visible: z.nullish(z.boolean()) }))) })),
      }),
    ),
  ),
  media: z.nullish(z.looseObject({ main: z.nullish(Media) })),
  url: z.nullish(z.union([z.string(), z.looseObject({ url: z.nullish(z.string()), relativePath: z.nullish(z.string()) })])),
  currency: z.nullish(z.string()),
  plainDescription: z.nullish(z.string()),
  variantsInfo: z.nullish(
    z.looseObject({
      variants: z.nullish(
        z.array(
          z.looseObject({
            id: z.nullish(z.string()),
            sku: z.nullish(z.string()),
            visible: z.nullish(z.boolean()),
            choices: z.nullish(
              z.array(z.looseObject({ optionChoiceNames: z.nullish(z.looseObject({ optionName: z.nullish(z.string()), choiceName: z.nullish(z.string()) })) })),
            ),
            price: z.nullish(z.looseObject({ actualPrice: z.nullish(Amount), compareAtPrice: z.nullish(Amount) })),
            inventoryStatus: z.nullish(z.looseObject({ inStock: z.nullish(z.boolean()), preorderEnabled: z.nullish(z.boolean()) })),
          }),
        ),
      ),
    }),
  ),
});
export type V3Product = z.infer<typeof V3Product>;

export const V3ProductsResponse = z.looseObject({ products: z._default(z.array(z.unknown()), []) });
export const V3GetResponse = z.looseObject({ product: z.unknown() });
export const V3CategoriesResponse = z.looseObject({
  categories: z._default(z.array(z.looseObject({ id: z.string(), name: z.string(), slug: z.nullish(z.string()) })), []),
});

/** `allCategoriesInfo.categories` holds the product's categories (filter with $matchItems). */
function categoryFilter(categoryId: string) {
  return { "allCategoriesInfo.categories": { $matchItems: [{ id: { $in: [categoryId] } }] } };
}

/** Body of `POST /stores/v3/products/search`: free text over visible products. */
export function v3SearchBody(opts: { text: string; categoryId?: string; limit: number }) {
  const filter: Record<string, unknown> = { visible: true, ...(opts.categoryId ? categoryFilter(opts.categoryId) : {}) };
  return {
    search: {
      filter,
      ...(opts.text ? { search: { expression: opts.text } } : {}),
      cursorPaging: { limit: opts.limit },
    },
    fields: [...V3_FIELDS],
  };
}

/** Body of `POST /stores/v3/products/query` for one product by id. */
export function v3ByIdBody(id: string) {
  return { query: { filter: { id: { $eq: id } }, cursorPaging: { limit: 1 } }, fields: [...V3_FIELDS] };
}

export function v3CategoriesBody() {
  return { query: { cursorPaging: { limit: 100 } }, treeReference: { appNamespace: "@wix/stores" } };
}

function mediaUrl(m: z.infer<typeof Media> | null | undefined): string | null {
  if (!m) return null;
  const candidates = [m.url, typeof m.image === "string" ? m.image : m.image?.url, m.thumbnail?.url];
  return candidates.find((u): u is string => typeof u === "string" && /^https?:\/\//i.test(u)) ?? null;
}

function pageUrl(u: V3Product["url"]): string | null {
  if (!u) return null;
  if (typeof u === "string") return joinPageUrl(u, null);
  // {url, relativePath}: `url` is either the full page URL or the site's base URL.
  if (u.url && u.relativePath && !u.url.replace(/\/+$/, "").endsWith(u.relativePath.replace(/\/+$/, ""))) {
    return joinPageUrl(u.url, u.relativePath);
  }
  return joinPageUrl(u.url, null);
}

/** Options from `options[].choicesSettings.choices[].name`, else gathered from the variants' choices. */
function v3Options(p: V3Product, variants: ProductVariant[]): ProductOption[] {
  const declared = (p.options ?? [])
    .map((o) => ({ name: o.name ?? "", choices: (o.choicesSettings?.choices ?? []).filter((c) => c.visible !== false).map((c) => c.name ?? "").filter(Boolean) }))
    .filter((o) => o.name && o.choices.length);
  if (declared.length) return declared;
  const byName = new Map<string, string[]>();
  for (const v of variants) {
    for (const [name, value] of Object.entries(v.choices)) {
      const list = byName.get(name) ?? [];
      if (!list.includes(value)) list.push(value);
      byName.set(name, list);
    }
  }
  return [...byName].map(([name, choices]) => ({ name, choices }));
}

/**
 * V3 variants (Get Product; search leaves them out): each with its id (what Wix's checkout
 * needs, even for a product without options), price, SKU, stock and preorder flag. V3 does not
 * give quantities here (Inventory API), so `stock` is null.
 */
function v3Variants(p: V3Product): ProductVariant[] {
  const out: ProductVariant[] = [];
  for (const v of p.variantsInfo?.variants ?? []) {
    if (!v.id) continue;
    const price = toDecimalOrNull(v.price?.actualPrice?.amount);
    if (price === null) continue;
    const choices: Record<string, string> = {};
    for (const c of v.choices ?? []) {
      const n = c.optionChoiceNames;
      if (n?.optionName && n.choiceName) choices[n.optionName] = n.choiceName;
    }
    out.push({
      id: v.id,
      choices,
      price,
      originalPrice: originalIfDiscounted(price, toDecimalOrNull(v.price?.compareAtPrice?.amount)),
      sku: v.sku || null,
      inStock: v.inventoryStatus?.inStock !== false,
      stock: null,
      visible: v.visible !== false,
      ...(v.inventoryStatus?.preorderEnabled ? { preorder: true } : {}),
    });
  }
  return out;
}

/**
 * A V3 product as a Product; null when it is hidden or has no usable price. Out of stock with
 * `preorderStatus: ENABLED` is sellable (`preorder: true`). Variants come when Wix sent them.
 */
export function mapV3Product(raw: unknown, fallbackCurrency: string): Product | null {
  const parsed = V3Product.safeParse(raw);
  if (!parsed.success) return null;
  const p = parsed.data;
  if (p.visible === false) return null;
  const variants = v3Variants(p);
  const shown = variants.filter((v) => v.visible);
  const rawVariants = (p.variantsInfo?.variants ?? []).filter((v) => v.visible !== false);
  const price = toDecimalOrNull(p.actualPriceRange?.minValue?.amount) ?? toDecimalOrNull(rawVariants[0]?.price?.actualPrice?.amount);
  if (price === null) return null;
  const compareAt = toDecimalOrNull(p.compareAtPriceRange?.minValue?.amount) ?? toDecimalOrNull(rawVariants[0]?.price?.compareAtPrice?.amount);
  const status = p.inventory?.availabilityStatus;
  const inStock = status ? status !== "OUT_OF_STOCK" : shown.length ? shown.some((v) => v.inStock) : rawVariants.length ? rawVariants.some((v) => v.inventoryStatus?.inStock !== false) : true;
  const preorder = p.inventory?.preorderStatus === "ENABLED" || shown.some((v) => v.preorder === true);
  const options = v3Options(p, shown);
  return {
    id: p.id,
    name: p.name,
    price,
    originalPrice: originalIfDiscounted(price, compareAt),
    currency: (p.currency ?? fallbackCurrency).toUpperCase(),
    imageUrl: mediaUrl(p.media?.main),
    description: shortDescription(p.plainDescription),
    inStock,
    url: pageUrl(p.url),
    visible: true,
    ...(variants.length ? { options, variants } : {}),
    ...(preorder ? { preorder: true } : {}),
  };
}
