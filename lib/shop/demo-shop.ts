/**
 * The demo shop "Maison Lumière", served from Postgres when WIX_API_KEY is unset (tables and SQL
 * functions in supabase/migrations/*_shop.sql). Same Shop interface and Product shape as Wix:
 * full-text search (French + simple, accents folded), contacts and single-use `DEMO-` coupons.
 */
import type { Services } from "../services.js";
import { normaliseContact } from "./contact.js";
import { generateCouponCode, validateCoupon } from "./coupon-rules.js";
import { shortDescription, normaliseSearchText } from "./text.js";
import type { ContactResult, CouponResult, Product, Shop } from "./types.js";

export const DEMO_COUPON_PREFIX = "DEMO-";
const MAX_LIMIT = 8;

/** A product row as the SQL functions return it. */
interface DemoProductRow {
  id: string;
  slug: string;
  name: string;
  price: string;
  originalPrice: string | null;
  currency: string;
  imagePath: string | null;
  description: string;
  inStock: boolean;
  visible: boolean;
  collections: string[];
}

/** Product page of a demo product. */
/** The demo shop has no product pages: a product links to the demo page's selection. */
export function demoProductUrl(publicBaseUrl: string, slug: string): string {
  return `${publicBaseUrl}/?produit=${encodeURIComponent(slug)}#selection`;
}

export function createDemoShop(services: Services): Shop {
  const { store, config } = services;
  const base = config.app.publicBaseUrl;

  const toProduct = (r: DemoProductRow): Product => ({
    id: r.id,
    name: r.name,
    price: r.price,
    originalPrice: r.originalPrice,
    currency: r.currency,
    imageUrl: r.imagePath ? (/^https?:\/\//.test(r.imagePath) ? r.imagePath : `${base}${r.imagePath}`) : null,
    description: shortDescription(r.description),
    inStock: r.inStock,
    url: demoProductUrl(base, r.slug),
    visible: r.visible,
    collections: r.collections,
  });

  return {
    kind: "demo",

    async searchProducts(search) {
      const limit = search.limit === undefined || !Number.isFinite(search.limit) ? MAX_LIMIT : Math.min(MAX_LIMIT, Math.max(1, Math.trunc(search.limit)));
      const rows = await store.rpc<DemoProductRow[]>("shop_search_products", {
        p_query: normaliseSearchText(search.query).slice(0, 200),
        p_category: normaliseSearchText(search.category).slice(0, 100) || undefined,
        p_limit: limit,
      });
      return (rows ?? []).filter((r) => r.visible).map(toProduct);
    },

    async getProduct(id) {
      if (!id || typeof id !== "string" || id.length > 200) return null;
      const row = await store.rpc<DemoProductRow | null>("shop_get_product", { p_id: id });
      return row && row.visible ? toProduct(row) : null;
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
