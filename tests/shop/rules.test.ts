import { describe, expect, it } from "vitest";
import { compareDecimal, toDecimalString } from "../../lib/money/index.js";
import { normalisePhone, splitName } from "../../lib/shop/contact.js";
import { COUPON_ALPHABET, couponCodeLength, generateCouponCode, validateCoupon } from "../../lib/shop/coupon-rules.js";
import { plainText, summarize } from "../../lib/shop/text.js";
import { joinPageUrl } from "../../lib/integrations/wix/product-url.js";

const caps = { maxFixedAmount: 50, maxPercent: 30 };

describe("coupon rules", () => {
  it.each([
    [{ type: "FIXED_AMOUNT", value: 50, expiryDays: 1 }, 50],
    [{ type: "PERCENTAGE", value: 30, expiryDays: 90 }, 30],
    [{ type: "PERCENTAGE", value: 12.5, expiryDays: 7 }, 12.5],
    [{ type: "FREE_SHIPPING", value: -3, expiryDays: 7 }, 0],
  ] as const)("accepts the limits %j", (input, value) => {
    expect(validateCoupon(input, caps).value).toBe(value);
  });

  it("follows the configured caps, not fixed numbers", () => {
    expect(() => validateCoupon({ type: "PERCENTAGE", value: 20, expiryDays: 7 }, { maxFixedAmount: 5, maxPercent: 15 })).toThrow(/15/);
  });

  it("writes codes in the unambiguous alphabet only (no 0, O, 1, I, L)", () => {
    expect(COUPON_ALPHABET).not.toMatch(/[01OIL]/);
    const codes = Array.from({ length: 200 }, () => generateCouponCode(6));
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(new Set(codes).size).toBe(200);
    expect(new Set(codes.join(""))).toEqual(new Set(COUPON_ALPHABET)); // every symbol is used
    expect(couponCodeLength(12)).toBe(20);
    expect(generateCouponCode(4, "DEMO-")).toMatch(/^DEMO-[2-9A-HJKMNP-Z]{7}$/);
  });
});

describe("text, money and contact helpers", () => {
  it("strips tags, scripts and entities, and cuts at 150 on a word boundary", () => {
    expect(plainText("<p>Caf&eacute; &amp; cr&egrave;me<br/>d&#x2019;Is&#233;re<script>alert(1)</script></p>&bogus;")).toBe("Café & crème d’Isére &bogus;");
    const long = `${"mot ".repeat(60)}fin`;
    const cut = summarize(long, 150);
    expect(cut.length).toBeLessThanOrEqual(150);
    expect(cut).toMatch(/^(mot )+mot…$/);
    expect(summarize("court", 150)).toBe("court");
  });

  it("keeps money exact", () => {
    expect(toDecimalString(19.9)).toBe("19.90");
    expect(toDecimalString("0019.900")).toBe("19.90");
    expect(toDecimalString(0.1 + 0.2)).toBe("0.30000000000000004"); // shown as is, never rounded silently
    expect(compareDecimal("100.00", "99.99")).toBe(1);
    expect(compareDecimal("24.9", "24.90")).toBe(0);
    expect(() => toDecimalString(-1)).toThrow();
  });

  it.each([
    ["06 12 34 56 78", "+33612345678"],
    ["+33 (0)6 12 34 56 78", "+33612345678"],
    ["0033 6 12 34 56 78", "+33612345678"],
    ["+1 (415) 555-0100", "+14155550100"],
    ["06.12.34.56.78", "+33612345678"],
    ["12", null],
    ["appelez-moi", null],
  ])("normalises the phone %s", (raw, e164) => {
    expect(normalisePhone(raw)).toBe(e164);
  });

  it("splits a name into first and last", () => {
    expect(splitName("  Jean-Pierre   de la Fontaine ")).toEqual({ first: "Jean-Pierre", last: "de la Fontaine" });
    expect(splitName("Cher")).toEqual({ first: "Cher" });
    expect(splitName("")).toEqual({});
  });

  it("joins a product page URL without doubled or missing slashes", () => {
    expect(joinPageUrl("https://shop.fr/", "/product-page/a")).toBe("https://shop.fr/product-page/a");
    expect(joinPageUrl("https://shop.fr", "product-page/a")).toBe("https://shop.fr/product-page/a");
    expect(joinPageUrl(null, "https://shop.fr/product-page/a")).toBe("https://shop.fr/product-page/a");
    expect(joinPageUrl(null, "/product-page/a")).toBeNull();
  });
});
