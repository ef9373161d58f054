/**
 * Realistic Wix payloads (shapes from FACTS.md §3 and the Wix REST reference) and a request
 * recorder for the msw fakes of tests/shop.
 */
import { http, HttpResponse, type HttpHandler } from "msw";

export const WIX = "https://www.wixapis.com";
export const WIX_ENV = { WIX_API_KEY: "IST.test-wix-api-key", WIX_SITE_ID: "5c1f0d2a-site-0000-0000-000000000001" } as const;
/** No retries and a short backoff: tests that want retries say so. */
export const FAST = { WIX_RETRY_ATTEMPTS: "0", WIX_RETRY_BASE_DELAY_MS: "1", HTTP_RETRY_MAX_DELAY_MS: "5" } as const;

export interface Seen { method: string; path: string; search: string; headers: Headers; body: unknown }

/** Records every request a handler sees. */
export function recorder() {
  const seen: Seen[] = [];
  const record = async (request: Request) => {
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.clone().text();
    seen.push({ method: request.method, path: url.pathname, search: url.search, headers: request.headers, body: text ? JSON.parse(text) : undefined });
  };
  /** A handler that records, then answers with `respond` (a JSON body or a Response). */
  const on = (method: "get" | "post" | "patch" | "put", path: string, respond: (req: Request, n: number) => unknown): HttpHandler =>
    http[method](`${WIX}${path}`, async ({ request }) => {
      await record(request);
      const n = seen.filter((s) => s.path === new URL(request.url).pathname && s.method === request.method).length;
      const out = await respond(request, n);
      return out instanceof Response ? out : HttpResponse.json(out as object);
    });
  return { seen, on, to: (path: string) => seen.filter((s) => s.path === path) };
}

export function wixError(status: number, code: string, data: Record<string, unknown> = {}) {
  return HttpResponse.json({ message: `${code} error`, details: { applicationError: { code, description: `${code} description`, data } } }, { status });
}

export const HTML_DESCRIPTION =
  "<p>Robe portefeuille en viscose &amp; lin, <strong>manches courtes</strong>&nbsp;et ceinture à nouer. " +
  "C&#39;est la pièce de l&rsquo;&eacute;t&eacute;&#8239;: l&#233;g&#xE8;re, fluide, elle se porte du matin au soir, " +
  "en ville comme à la plage, avec des sandales ou des baskets blanches.</p><ul><li>Lavable à 30 °C</li></ul>";

/** Catalog V1 products as `POST /stores-reader/v1/products/query` returns them. */
export const V1_DISCOUNTED = {
  id: "1044e5e4-d8d4-a4f6-e0c8-47d1b7e6b3b5",
  name: "Robe portefeuille Terracotta",
  slug: "robe-portefeuille-terracotta",
  visible: true,
  productType: "physical",
  description: HTML_DESCRIPTION,
  sku: "RPT-001",
  weight: 0.4,
  stock: { trackInventory: true, quantity: 5, inStock: true, inventoryStatus: "IN_STOCK" },
  price: { currency: "EUR", price: 99, discountedPrice: 79.9, formatted: { price: "99,00 €", discountedPrice: "79,90 €" } },
  priceData: { currency: "EUR", price: 99, discountedPrice: 79.9, formatted: { price: "99,00 €", discountedPrice: "79,90 €", pricePerUnit: null } },
  convertedPriceData: { currency: "EUR", price: 99, discountedPrice: 79.9, formatted: { price: "99,00 €", discountedPrice: "79,90 €" } },
  priceRange: { minValue: 99, maxValue: 99 },
  ribbons: [{ text: "Soldes" }],
  media: {
    mainMedia: {
      thumbnail: { url: "https://static.wixstatic.com/media/2c1d7e_robe~mv2.jpg/v1/fit/w_50,h_50,q_90/file.jpg", width: 50, height: 50 },
      mediaType: "image",
      title: "",
      image: { url: "https://static.wixstatic.com/media/2c1d7e_robe~mv2.jpg", width: 1000, height: 1500 },
      id: "2c1d7e_robe~mv2.jpg",
    },
    items: [],
  },
  customTextFields: [],
  manageVariants: false,
  productOptions: [],
  productPageUrl: { base: "https://www.maison-lumiere.fr/", path: "/product-page/robe-portefeuille-terracotta" },
  numericId: "1700000000000001",
  inventoryItemId: "6d1f1f2e-0000-0000-0000-000000000001",
  discount: { type: "AMOUNT", value: 19.1 },
  collectionIds: ["00000000-000000-000000-000000000001", "a1b2c3d4-robes"],
  variants: [],
  lastUpdated: "2026-11-20T10:00:00.000Z",
};

export const V1_NO_MEDIA = {
  id: "7f3e2a10-0000-4000-8000-000000000002",
  name: "Robe pull en maille Marine",
  slug: "robe-pull-marine",
  visible: true,
  productType: "physical",
  description: "Robe pull en maille c&ocirc;tel&eacute;e.",
  stock: { trackInventory: true, quantity: 0, inStock: false, inventoryStatus: "OUT_OF_STOCK" },
  priceData: { currency: "EUR", price: 24.9, discountedPrice: 24.9, formatted: { price: "24,90 €", discountedPrice: "24,90 €" } },
  media: { items: [] },
  productPageUrl: { base: "https://www.maison-lumiere.fr", path: "product-page/robe-pull-marine" },
  collectionIds: [],
};

export const V1_HIDDEN = { ...V1_NO_MEDIA, id: "hidden-0000", name: "Robe cachée", visible: false };

export const V1_COLLECTIONS = {
  collections: [
    { id: "00000000-000000-000000-000000000001", name: "All Products", slug: "all-products", visible: true, numberOfProducts: 40 },
    { id: "a1b2c3d4-robes", name: "Robes", slug: "robes", visible: true, numberOfProducts: 6 },
    { id: "b2c3d4e5-foulards", name: "Foulards & écharpes", slug: "foulards-echarpes", visible: true, numberOfProducts: 3 },
  ],
  metadata: { items: 3, offset: 0 },
  totalResults: 3,
};

/** Catalog V3 products as `POST /stores/v3/products/search` returns them (fields URL, CURRENCY, PLAIN_DESCRIPTION). */
export const V3_DISCOUNTED = {
  id: "f8b0c1d2-0000-4000-8000-00000000000a",
  revision: "4",
  name: "Bougie Figue noire",
  slug: "bougie-figue-noire",
  visible: true,
  visibleInPos: true,
  productType: "PHYSICAL",
  plainDescription: "<p>Cire v&eacute;g&eacute;tale &amp; m&egrave;che coton.</p>",
  actualPriceRange: { minValue: { amount: "19.9", formattedAmount: "19,90 €" }, maxValue: { amount: "24.90", formattedAmount: "24,90 €" } },
  compareAtPriceRange: { minValue: { amount: "24.90", formattedAmount: "24,90 €" }, maxValue: { amount: "29.90", formattedAmount: "29,90 €" } },
  inventory: { availabilityStatus: "PARTIALLY_OUT_OF_STOCK", preorderStatus: "DISABLED" },
  media: { main: { id: "2c1d7e_bougie~mv2.jpg", url: "https://static.wixstatic.com/media/2c1d7e_bougie~mv2.jpg", altText: null, mediaType: "IMAGE" } },
  url: { relativePath: "/product-page/bougie-figue-noire", url: "https://www.maison-lumiere.fr/product-page/bougie-figue-noire" },
  currency: "EUR",
  variantsInfo: {
    variants: [
      { id: "v1", sku: "BFN-1", visible: true, price: { actualPrice: { amount: "19.90" }, compareAtPrice: { amount: "24.90" } }, inventoryStatus: { inStock: true, preorderEnabled: false } },
    ],
  },
};

export const V3_NO_MEDIA = {
  id: "0a9b8c7d-0000-4000-8000-00000000000b",
  name: "Carte cadeau",
  slug: "carte-cadeau",
  visible: true,
  productType: "DIGITAL",
  plainDescription: "",
  actualPriceRange: { minValue: { amount: "50" }, maxValue: { amount: "50" } },
  inventory: { availabilityStatus: "OUT_OF_STOCK" },
  url: { relativePath: "/product-page/carte-cadeau", url: "https://www.maison-lumiere.fr/" },
  currency: "EUR",
};

export const V3_CATEGORIES = {
  categories: [
    { id: "cat-all", name: "All Products", slug: "all-products", visible: true, itemCounter: 40 },
    { id: "cat-bougies", name: "Bougies", slug: "bougies", visible: true, itemCounter: 4 },
  ],
  pagingMetadata: { count: 2, cursors: {}, hasNext: false },
};

export function v3Page(products: unknown[]) {
  return { products, pagingMetadata: { count: products.length, cursors: { next: null }, hasNext: false } };
}

export function v1Page(products: unknown[]) {
  return { products, metadata: { items: products.length, offset: 0 }, totalResults: products.length };
}
