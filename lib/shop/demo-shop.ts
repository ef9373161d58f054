/**
 * The demo shop "Maison Lumière", served from Postgres when WIX_API_KEY is unset. Its products
 * live in the catalogue index (source "demo", supabase/migrations/*_catalogue.sql), searched by
 * the same function as a mirrored Wix catalogue; contacts and single-use `DEMO-` coupons in
 * *_shop.sql. Same Shop interface and Product shape as Wix.
 */
import type { Services } from "../services.js";
import { getCatalogueProduct, searchCatalogue, toProduct, type CatalogueRow, type UrlResolver } from "./catalogue-index.js";
import { normaliseContact } from "./contact.js";
import { generateCouponCode, validateCoupon } from "./coupon-rules.js";
import type { ContactResult, CouponResult, Shop } from "./types.js";

export const DEMO_COUPON_PREFIX = "DEMO-";

/** The demo shop has no product pages: a product links to the demo page's selection. */
export function demoProductUrl(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl}/?produit=${encodeURIComponent(slug)}#selection`;
}

/** Demo image paths are relative to the app's public base URL. */
export function demoUrls(publicBaseUrl: string): UrlResolver {
  return {
    imageUrl: (r: CatalogueRow) => (r.imageUrl ? (/^https?:\/\//.test(r.imageUrl) ? r.imageUrl : `${publicBaseUrl}${r.imageUrl}`) : null),
    pageUrl: (r: CatalogueRow) => r.url ?? (r.slug ? demoProductUrl(publicBaseUrl, r.slug) : null),
  };
}

export function createDemoShop(services: Services): Shop {
  const { store, config } = services;
  const urls = demoUrls(config.app.publicBaseUrl);

  return {
    kind: "demo",

    async searchProducts(search) {
      const found = await searchCatalogue(store, "demo", search);
      return found.products.map((r) => toProduct(r, urls));
    },

    async getProduct(id) {
      const row = await getCatalogueProduct(store, "demo", id);
      return row ? toProduct(row, urls) : null;
    },

    async upsertContact(input): Promise<ContactResult> {
      const c = normaliseContact(input);
      return store.rpc<ContactResult>("shop_upsert_contact", {
        p_email: c.email,
        p_first_name: c.first,
        p_last_name: c.last,
        p_phone: c.phone ?? undefined,
        p_source: c.source,
        p_label: c.marketing === false ? "custom.chatbot-request" : "custom.chatbot-lead",
      });
    },

    async createCoupon(input): Promise<CouponResult> {
      const c = validateCoupon(input, config.coupons); // same caps as Wix, before anything is written
      for (let attempt = 0; attempt < 3; attempt++) {
        const code = generateCouponCode(config.coupons.codeBytes, DEMO_COUPON_PREFIX);
        const row = await store.rpc<{ id: string; code: string; expiresAt: string } | null>("shop_create_coupon", {
          p_code: code,
          p_type: c.type,
          p_value: c.value,
          p_expiry_days: c.expiryDays,
          p_max_percent: config.coupons.maxPercent,
          p_max_fixed_amount: config.coupons.maxFixedAmount,
          p_minimum_order: c.minimumOrder ?? undefined,
          p_description: c.description ?? undefined,
        });
        if (row) return { id: row.id, code: row.code, type: c.type, value: c.value, expiresAt: new Date(row.expiresAt).toISOString() };
      }
      throw new Error("could not draw an unused coupon code");
    },
  };
}
