/** Exact money (lib/money): decimal strings to Stripe minor units and back, without float arithmetic; formatting per language. */
import { describe, expect, it } from "vitest";
import { formatMoney, formatPrice, fromMinorUnits, lineTotal, toMinorUnits } from "../../lib/money/index.js";

describe("toMinorUnits", () => {
  it.each([
    ["19.99", "eur", 1999],
    ["19.9", "eur", 1990],
    ["20", "eur", 2000],
    ["0.10", "eur", 10],
    ["19.990", "eur", 1999],
    [" 24.90 ", "eur", 2490],
    ["99999999.99", "eur", 9999999999],
    ["1500", "jpy", 1500],
    ["1500.00", "jpy", 1500],
    ["1.234", "kwd", 1234],
  ])("%s %s -> %i", (decimal, currency, minor) => {
    expect(toMinorUnits(decimal, currency)).toBe(minor);
  });

  it.each([
    ["19.995", "eur"],
    ["1500.5", "jpy"],
    ["-1", "eur"],
    ["1e3", "eur"],
    ["19,90", "eur"],
    ["", "eur"],
    ["NaN", "eur"],
    [".5", "eur"],
  ])("refuses %s %s", (decimal, currency) => {
    expect(() => toMinorUnits(decimal, currency)).toThrow();
  });

  it("19.99 x 3 is 5997 exactly (the float way is not)", () => {
    expect(19.99 * 100).not.toBe(1999); // 1998.9999999999998
    expect(lineTotal(toMinorUnits("19.99", "eur"), 3)).toBe(5997);
  });
});

describe("fromMinorUnits", () => {
  it.each([
    [5997, "eur", "59.97"],
    [5, "eur", "0.05"],
    [0, "eur", "0.00"],
    [1500, "jpy", "1500"],
    [1234, "kwd", "1.234"],
  ])("%i %s -> %s", (minor, currency, decimal) => {
    expect(fromMinorUnits(minor, currency)).toBe(decimal);
  });

  it("formats with the currency code", () => {
    expect(formatMoney(18988, "eur")).toBe("189.88 EUR");
  });
});

describe("formatPrice", () => {
  it.each([
    ["89.00", "EUR", "fr", "89,00 €"],
    ["89", "EUR", "en", "€89.00"],
    ["1234.5", "EUR", "fr", "1 234,50 €"],
    ["1500", "JPY", "en", "JP¥1,500"],
  ] as const)("%s %s in %s -> %s", (amount, currency, lang, text) => {
    expect(formatPrice(amount, currency, lang)).toBe(text);
  });

  it("formats the decimal string exactly, even past what a float holds", () => {
    expect(Number("9007199254740993.00")).toBe(9007199254740992); // the float way loses the 3
    expect(formatPrice("9007199254740993.00", "EUR", "en")).toBe("€9,007,199,254,740,993.00");
  });

  it("writes the shop currencies without Intl exactly as Intl does (rounding half away from zero)", () => {
    const amounts = ["0", "0.5", "0.005", "0.004", "9.99", "19.995", "19.994", "999.995", "1234.5", "999999.999", "12345678.90", "100000"];
    for (const currency of ["EUR", "GBP", "USD", "CHF", "CAD"]) {
      for (const lang of ["fr", "en"] as const) {
        const intl = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { style: "currency", currency });
        for (const a of amounts) expect(formatPrice(a, currency, lang)).toBe(intl.format(a as `${number}`).replace(/\u202f|\u00a0/g, " "));
      }
    }
    expect(formatPrice("19.995", "eur", "fr")).toBe("20,00 €");
  });

  it("keeps an amount it cannot read as it is, with the currency", () => {
    expect(formatPrice("abc", "EUR", "fr")).toBe("abc EUR");
    expect(formatPrice("12.00", "not-a-currency", "fr")).toBe("12.00 not-a-currency");
  });
});
