import { describe, expect, it } from "vitest";
import { parseSearchConstraints } from "../../lib/shop/search-constraints.js";

describe("price phrases become bounds, in French and English", () => {
  it.each([
    // text, min, max, words left
    ["robe moins de 100 €", undefined, "100.00", "robe"],
    ["under 50", undefined, "50.00", ""],
    ["shoes under €60", undefined, "60.00", "shoes"],
    ["a dress below 90€", undefined, "90.00", "a dress"],
    ["cheaper than 70 dollars", undefined, "70.00", ""],
    ["jusqu'à 40 €", undefined, "40.00", ""],
    ["sac pas plus de 45 euros", undefined, "45.00", "sac"],
    ["49,90 € maximum", undefined, "49.90", ""],
    ["50 € max", undefined, "50.00", ""],
    ["budget de 80€", undefined, "80.00", ""],
    ["au moins 100 euros", "100.00", undefined, ""],
    ["bags over 150", "150.00", undefined, "bags"],
    ["plus de 100 €", "100.00", undefined, ""],
    ["à partir de 30 €", "30.00", undefined, ""],
    ["entre 30 et 50 €", "30.00", "50.00", ""],
    ["between 20 and 40", "20.00", "40.00", ""],
    ["between 40 and 20", "20.00", "40.00", ""],
    ["de 30 à 50€", "30.00", "50.00", ""],
    ["bougie 30-50 €", "30.00", "50.00", "bougie"],
  ])("%s -> [%s, %s]", (text, min, max, rest) => {
    const c = parseSearchConstraints(text);
    expect(c.minPrice).toBe(min);
    expect(c.maxPrice).toBe(max);
    expect(c.text).toBe(rest);
  });

  it.each([
    ["a gift around 50 euros", "40.00", "60.00"],
    ["environ 50 €", "40.00", "60.00"],
    ["50 euros environ", "40.00", "60.00"],
    ["dans les 50 balles", "40.00", "60.00"],
    ["something for about 45.50", "36.40", "54.60"],
    ["autour de 25 €", "20.00", "30.00"],
  ])("%s is a band of ±20 %%: [%s, %s]", (text, min, max) => {
    const c = parseSearchConstraints(text);
    expect([c.minPrice, c.maxPrice]).toEqual([min, max]);
  });

  it.each([
    ["carte cadeau 50 €"],
    ["robe taille 38"],
    ["robe 38-40"],
    ["taille de 36 a 38"],
    ["coffret 3 bougies"],
  ])("a bare amount or a size is not a bound: %s", (text) => {
    const c = parseSearchConstraints(text);
    expect(c.minPrice).toBeUndefined();
    expect(c.maxPrice).toBeUndefined();
    expect(c.text.replace(/\s+/g, " ")).toBe(text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase());
  });
});

describe("order and availability words", () => {
  it.each([
    ["the cheapest candle", "price_asc", "the candle"],
    ["le moins cher", "price_asc", ""],
    ["une robe pas chère", "price_asc", "une robe"],
    ["most expensive bag", "price_desc", "bag"],
    ["le sac le plus cher", "price_desc", "le sac"],
  ])("%s sorts %s", (text, sort, rest) => {
    const c = parseSearchConstraints(text);
    expect(c.sort).toBe(sort);
    expect(c.text).toBe(rest);
  });

  it("a price comparison is not an order: 'moins cher que 50' is a bound", () => {
    expect(parseSearchConstraints("moins cher que 50 €")).toEqual({ text: "", maxPrice: "50.00" });
    expect(parseSearchConstraints("plus cher que 100")).toEqual({ text: "", minPrice: "100.00" });
  });

  it.each([["robe en stock"], ["dresses available now"], ["bougies disponibles"], ["sandals in stock"]])("%s keeps in-stock products only", (text) => {
    expect(parseSearchConstraints(text).inStockOnly).toBe(true);
  });

  it("combines everything a shopper says at once", () => {
    expect(parseSearchConstraints("Robe pas chère en stock, moins de 100 €")).toEqual({
      text: "robe ,", sort: "price_asc", inStockOnly: true, maxPrice: "100.00",
    });
  });
});
