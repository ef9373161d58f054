/**
 * The shop as the assistant, checkout, leads and coupons see it. Two implementations: Wix
 * (lib/integrations/wix) when WIX_API_KEY is set, the demo shop in Postgres otherwise.
 * Callers must not know which one they talk to.
 *
 * Money is always an exact decimal string ("19.90"), never a float.
 */
export interface Product {
  id: string;
  name: string;
  /** Price to pay, exact decimal string, e.g. "19.90". */
  price: string;
  /** Price before discount when discounted, else null. */
  originalPrice: string | null;
  /** ISO 4217, upper case, e.g. "EUR". */
  currency: string;
  imageUrl: string | null;
  /** Plain text, no HTML, at most 150 characters, cut on a word boundary. */
  description: string;
  inStock: boolean;
  /** Product page on the shop, absolute URL, or null if unknown. */
  url: string | null;
  /** Visible in the shop. Invisible products are never returned by search. */
  visible: boolean;
  /** Collection / category names, when known. */
  collections?: string[];
  /**
   * The choices a shopper must make before buying (size, colour...), in the shop's order.
   * Empty or absent: the product has a single default variant. Filled by getProduct; search
   * results may leave it out.
   */
  options?: ProductOption[];
  /** Sellable combinations of the options, each with its own price, stock and SKU. */
  variants?: ProductVariant[];
  /** Out of stock but open for preorder: sellable (V3 `preorderStatus: ENABLED`). */
  preorder?: boolean;
  /**
   * Wix Catalog V1 options not managed as variants (`manageVariants: false`): Wix's checkout
   * takes the chosen option values, not a variant id. The variants still list each combination.
   */
  variantsByChoice?: boolean;
}

/** One choice of a product, e.g. { name: "Taille", choices: ["36", "38", "40"] }. */
export interface ProductOption {
  /** Option name as the shop spells it ("Size", "Taille", "Couleur"). */
  name: string;
  /** The values in the shop's order. */
  choices: string[];
}

/**
 * One sellable combination. `choices` maps every option name to one value,
 * e.g. { "Taille": "38" } or { "Size": "M", "Color": "Blue" }.
 */
export interface ProductVariant {
  /** Wix variant id (V1 managed variants, V3), or the demo shop's id. */
  id: string;
  choices: Record<string, string>;
  /** Exact decimal string, the price to pay for this variant. */
  price: string;
  /** Price before discount when discounted, else null. */
  originalPrice: string | null;
  sku: string | null;
  inStock: boolean;
  /** Units in stock when the shop tracks quantities, else null. */
  stock: number | null;
  visible: boolean;
  /** Out of stock but open for preorder (V3 `inventoryStatus.preorderEnabled`): sellable. */
  preorder?: boolean;
}

export type ProductSort = "relevance" | "price_asc" | "price_desc";

/**
 * A catalogue search. The query is what the shopper typed: misspelt product words, English or
 * French words and price phrases ("under 50", "moins de 30 €", "around 50 euros", "cheapest")
 * are understood by the catalogue index; the explicit fields below win over what the text says.
 */
export interface ProductSearch {
  query: string;
  /** Collection / category name, e.g. "Robes", "dresses", "foulards-echarpes". */
  category?: string;
  /** Colour words ("bleu", "navy"): name, keywords or a variant's choices must match. */
  colour?: string;
  /** Material words ("lin", "leather"): the product's text must match. */
  material?: string;
  /** Inclusive price bounds, exact decimal strings ("30.00"); a product qualifies when one variant does. */
  minPrice?: string;
  maxPrice?: string;
  /** Only products (and variants) that can be bought now. */
  inStockOnly?: boolean;
  /** Relevance by default; cheapest or most expensive first. */
  sort?: ProductSort;
  /** Capped at 8. */
  limit?: number;
}

export interface ContactInput {
  email: string;
  name?: string;
  phone?: string;
  source?: string;
  /**
   * Whether the person agreed to hear from the shop (a recorded consent, lib/leads/consent.ts):
   * true -> labelled `custom.chatbot-lead` (marketing); false -> `custom.chatbot-request` (kept
   * for the request only). The lead sync always says; undefined keeps the old marketing label.
   */
  marketing?: boolean;
}
export interface ContactResult { id: string; action: "created" | "updated" }

export type CouponType = "PERCENTAGE" | "FIXED_AMOUNT" | "FREE_SHIPPING";
export interface CouponInput {
  type: CouponType;
  /** Percent (PERCENTAGE) or amount in the shop currency (FIXED_AMOUNT); ignored for FREE_SHIPPING. */
  value: number;
  expiryDays: number;
  /** Minimum order subtotal, shop currency. */
  minimumOrder?: number;
  description?: string;
}
export interface CouponResult { id: string; code: string; type: CouponType; value: number; expiresAt: string }

/** A request that breaks a hard rule (coupon caps, ...): refused before any outside call. */
export class ShopValidationError extends Error {
  override name = "ShopValidationError";
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export interface Shop {
  readonly kind: "wix" | "demo";
  /** Throws UpstreamError / BreakerOpenError when the catalogue is down (never returns [] for an outage). */
  searchProducts(search: ProductSearch): Promise<Product[]>;
  /** null when the id is unknown or the product is invisible. */
  getProduct(id: string): Promise<Product | null>;
  upsertContact(contact: ContactInput): Promise<ContactResult>;
  /** Enforces COUPON_MAX_FIXED_AMOUNT, COUPON_MAX_PERCENT and 1..90 days whatever the caller asks. */
  createCoupon(coupon: CouponInput): Promise<CouponResult>;
}
