/**
 * The catalogue index: the demo shop's products and the mirrored Wix catalogue, in the same SQL
 * tables (catalogue_products, catalogue_variants), searched by the same function in one round
 * trip (`catalogue_search`: stemming in French and English, accents folded, typos corrected from
 * the catalogue's own words, a bilingual product vocabulary, filters and price order). Price
 * phrases in the query ("moins de 30 €") become bounds here, so every caller gets them.
 */
import type { Store } from "../store/store.js";
import { toDecimalString } from "../money/index.js";
import { parseSearchConstraints } from "./search-constraints.js";
import { normaliseSearchText, shortDescription } from "./text.js";
import { ShopValidationError, type Product, type ProductOption, type ProductSearch, type ProductSort, type ProductVariant } from "./types.js";

export type CatalogueSource = "demo" | "wix";

export const MAX_SEARCH_LIMIT = 8;

/** A product as the SQL functions return it (description in full, paths maybe relative). */
export interface CatalogueRow {
  id: string;
  source: CatalogueSource;
  slug: string | null;
  name: string;
  price: string;
  originalPrice: string | null;
  currency: string;
  imageUrl: string | null;
  url: string | null;
  description: string;
  inStock: boolean;
  stock: number | null;
  preorder: boolean;
  visible: boolean;
  collections: string[];
  options: ProductOption[];
  variants?: ProductVariant[];
}

export interface CatalogueSearchResult {
  products: CatalogueRow[];
  /** Query words the index corrected, e.g. [{from: "chausure", to: "chaussure"}]. */
  corrections: { from: string; to: string }[];
  syncedAt: string | null;
  /** Never synced, or longer ago than the maxAgeSeconds asked for. */
  stale: boolean;
}

const SORTS: readonly ProductSort[] = ["relevance", "price_asc", "price_desc"];

function bound(value: string | undefined, field: "minPrice" | "maxPrice"): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  try {
    return toDecimalString(String(value).replace(",", "."));
  } catch {
    throw new ShopValidationError(`${field} must be a non-negative decimal amount, e.g. "49.90"`, field);
  }
}

/** Clamps a requested limit to 1..8 (8 when absent). */
export function searchLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return MAX_SEARCH_LIMIT;
  return Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.trunc(limit)));
}

/**
 * The arguments of `catalogue_search` for a search: the query's price phrases, order and
 * availability words are read (parseSearchConstraints); explicit fields win over them.
 */
export function searchArgs(source: CatalogueSource, search: ProductSearch, maxAgeSeconds?: number): Record<string, unknown> {
  const parsed = parseSearchConstraints(normaliseSearchText(search.query).slice(0, 200));
  const minPrice = bound(search.minPrice, "minPrice") ?? parsed.minPrice;
  const maxPrice = bound(search.maxPrice, "maxPrice") ?? parsed.maxPrice;
  const sort = search.sort ?? parsed.sort ?? "relevance";
  if (!SORTS.includes(sort)) throw new ShopValidationError(`sort must be one of ${SORTS.join(", ")}`, "sort");
  return {
    p_source: source,
    p_query: parsed.text,
    p_category: normaliseSearchText(search.category).slice(0, 100) || undefined,
    p_colour: normaliseSearchText(search.colour).slice(0, 60) || undefined,
    p_material: normaliseSearchText(search.material).slice(0, 60) || undefined,
    p_min_price: minPrice,
    p_max_price: maxPrice,
    p_in_stock: search.inStockOnly ?? parsed.inStockOnly ?? false,
    p_sort: sort,
    p_limit: searchLimit(search.limit),
    p_max_age_seconds: maxAgeSeconds,
  };
}

/** One search over one source's index: one store round trip. */
export async function searchCatalogue(
  store: Store,
  source: CatalogueSource,
  search: ProductSearch,
  opts: { maxAgeSeconds?: number } = {},
): Promise<CatalogueSearchResult> {
  const r = await store.rpc<Partial<CatalogueSearchResult> | null>("catalogue_search", searchArgs(source, search, opts.maxAgeSeconds));
  return {
    products: (r?.products ?? []).filter((p) => p.visible),
    corrections: r?.corrections ?? [],
    syncedAt: r?.syncedAt ?? null,
    stale: r?.stale ?? false,
  };
}

/** One visible product of a source with its variants, or null. */
export async function getCatalogueProduct(store: Store, source: CatalogueSource, id: string): Promise<CatalogueRow | null> {
  if (!id || typeof id !== "string" || id.length > 200) return null;
  const row = await store.rpc<CatalogueRow | null>("catalogue_get_product", { p_source: source, p_id: id });
  return row && row.visible ? row : null;
}

/** How a shop turns stored paths into absolute URLs (the demo stores relative ones). */
export interface UrlResolver {
  imageUrl(row: CatalogueRow): string | null;
  pageUrl(row: CatalogueRow): string | null;
}

/** A stored product as the Product type wants it (short plain description, absolute URLs). */
export function toProduct(row: CatalogueRow, urls: UrlResolver): Product {
  const product: Product = {
    id: row.id,
    name: row.name,
    price: row.price,
    originalPrice: row.originalPrice,
    currency: row.currency,
    imageUrl: urls.imageUrl(row),
    description: shortDescription(row.description),
    inStock: row.inStock,
    url: urls.pageUrl(row),
    visible: row.visible,
    collections: row.collections ?? [],
  };
  if (row.options?.length) product.options = row.options;
  if (row.variants?.length) product.variants = row.variants;
  if (row.preorder) product.preorder = true;
  return product;
}
