/**
 * lib/shop — the shop as the rest of the app sees it. `getShop(services)` returns the Wix shop
 * when WIX_API_KEY (+ WIX_SITE_ID) is set, else the demo shop in Postgres; callers never know
 * which. Shared rules live here too: coupon caps, coupon codes, text helpers (money: lib/money).
 */
import { createWixShop } from "../integrations/wix/shop.js";
import { lazy, type Services } from "../services.js";
import { createDemoShop } from "./demo-shop.js";
import type { Shop } from "./types.js";

export * from "./types.js";
export {
  validateCoupon, generateCouponCode, couponCodeLength, couponLabel,
  COUPON_ALPHABET, COUPON_MIN_DAYS, COUPON_MAX_DAYS, WIX_MAX_CODE_LENGTH,
  type CouponCaps, type ValidCoupon,
} from "./coupon-rules.js";
export { createDemoShop, demoProductUrl, DEMO_COUPON_PREFIX } from "./demo-shop.js";
export { normaliseContact, normalisePhone, normaliseEmail, splitName, type NormalisedContact } from "./contact.js";
export { plainText, summarize, shortDescription, normaliseSearchText } from "./text.js";

/** The instance's shop (memoised per Services): Wix when configured, else the demo shop. */
export function getShop(services: Services): Shop {
  return lazy(services, "shop", () => (services.config.wix.configured ? createWixShop(services) : createDemoShop(services)));
}
