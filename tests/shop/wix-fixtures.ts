/**
 * Realistic Wix payloads (shapes from FACTS.md §3 and the Wix REST reference) and a request
 * recorder for the msw fakes of tests/shop.
 */
import { http, HttpResponse, type HttpHandler } from "msw";
import { integrationDeps } from "../../lib/integrations/deps.js";
import { createWixShop, wixShopConfig } from "../../lib/integrations/wix/shop.js";
import type { Services } from "../../lib/services.js";

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

/**
 * Catalog V1 with managed variants (Wix docs' shape: `productOptions[].choices[].value`,
 * `variants[].choices`, `variants[].variant.priceData`, `variants[].stock`): a T-shirt in four
 * sizes, M sold out.
 */
export const V1_TSHIRT = {
  ...V1_NO_MEDIA,
  id: "91f7ac8b-2baa-289c-aa50-6d64764f35d3",
  name: "T-shirt Marinière",
  slug: "t-shirt-mariniere",
  stock: { trackInventory: true, quantity: 12, inStock: true, inventoryStatus: "PARTIALLY_OUT_OF_STOCK" },
  priceData: { currency: "EUR", price: 25, discountedPrice: 25, formatted: { price: "25,00 €", discountedPrice: "25,00 €" } },
  manageVariants: true,
  productOptions: [
    {
      optionType: "drop_down",
      name: "Size",
      choices: ["S", "M", "L", "XL"].map((value) => ({ value, description: value, inStock: value !== "M", visible: true })),
    },
  ],
  variants: ["S", "M", "L", "XL"].map((size, i) => ({
    id: `00000000-0000-0001-0005-ad9cdc7c6e8${i}`,
    choices: { Size: size },
    variant: {
      priceData: { currency: "EUR", price: 25, discountedPrice: 25, pricePerUnit: null, formatted: { price: "25,00 €", discountedPrice: "25,00 €" } },
      weight: 0.2,
      sku: `TSM-${size}`,
      visible: true,
    },
    stock: { trackQuantity: true, quantity: size === "M" ? 0 : 4, inStock: size !== "M" },
  })),
};

/** V1, a coffee whose variants differ in price (250 g / 500 g), options not managed as variants. */
export const V1_COFFEE = {
  ...V1_NO_MEDIA,
  id: "c0ffee00-0000-4000-8000-000000000250",
  name: "Café Moka Sidamo",
  slug: "cafe-moka-sidamo",
  stock: { trackInventory: false, inStock: true, inventoryStatus: "IN_STOCK" },
  priceData: { currency: "EUR", price: 35, discountedPrice: 35 },
  productPageUrl: { base: "www.maison-lumiere.fr/", path: "product-page/cafe-moka-sidamo" },
  manageVariants: false,
  productOptions: [{ optionType: "drop_down", name: "Poids", choices: [{ value: "250 g", description: "250 g", inStock: true, visible: true }, { value: "500 g", description: "500 g", inStock: true, visible: true }] }],
  variants: [
    { id: "00000000-0000-0001-0005-00000000c250", choices: { Poids: "250 g" }, variant: { priceData: { currency: "EUR", price: 35, discountedPrice: 35 }, sku: "", visible: true }, stock: { trackQuantity: false, inStock: true } },
    { id: "00000000-0000-0002-0005-00000000c500", choices: { Poids: "500 g" }, variant: { priceData: { currency: "EUR", price: 70, discountedPrice: 70 }, sku: "", visible: true }, stock: { trackQuantity: false, inStock: true } },
  ],
};

/**
 * V3 Get Product (fields incl. VARIANT_OPTION_CHOICE_NAMES): a dress out of stock but open for
 * preorder, in two sizes.
 */
export const V3_PREORDER = {
  id: "e1e2e3e4-0000-4000-8000-0000000000pr",
  name: "Robe longue Lin Sable",
  slug: "robe-longue-lin-sable",
  visible: true,
  productType: "PHYSICAL",
  plainDescription: "<p>Lin lavé.</p>",
  actualPriceRange: { minValue: { amount: "129.00" }, maxValue: { amount: "129.00" } },
  inventory: { availabilityStatus: "OUT_OF_STOCK", preorderStatus: "ENABLED" },
  url: { relativePath: "/product-page/robe-longue-lin-sable", url: "https://www.maison-lumiere.fr/product-page/robe-longue-lin-sable" },
  currency: "EUR",
  options: [{ id: "opt-taille", name: "Taille", optionRenderType: "TEXT_CHOICES", choicesSettings: { choices: [{ choiceId: "c38", name: "38" }, { choiceId: "c40", name: "40" }] } }],
  variantsInfo: {
    variants: ["38", "40"].map((size) => ({
      id: `var-${size}`,
      visible: true,
      sku: `RLS-${size}`,
      choices: [{ optionChoiceIds: { optionId: "opt-taille", choiceId: `c${size}` }, optionChoiceNames: { optionName: "Taille", choiceName: size, renderType: "TEXT_CHOICES" } }],
      price: { actualPrice: { amount: "129.00" } },
      inventoryStatus: { inStock: false, preorderEnabled: true },
    })),
  },
};

/** The Wix shop of test services, built the way getShop builds it (config slice + deps). */
export function wixShop(services: Services, opts: { now?: () => number } = {}) {
  return createWixShop(wixShopConfig(services.config), integrationDeps(services), opts);
}
