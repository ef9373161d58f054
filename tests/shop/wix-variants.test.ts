/** The Wix mappers carry options and variants (own price, stock, SKU), preorder and scheme-less page URLs. */
import { describe, expect, it } from "vitest";
import { mapV1Product } from "../../lib/integrations/wix/catalog-v1.js";
import { mapV3Product } from "../../lib/integrations/wix/catalog-v3.js";
import { V1_COFFEE, V1_TSHIRT, V3_PREORDER } from "./wix-fixtures.js";

describe("Wix variants and options", () => {
  it("V1 managed variants: the sizes in the shop's order, each variant with its SKU, stock and price", () => {
    const p = mapV1Product(V1_TSHIRT, "EUR")!;
    expect(p.options).toEqual([{ name: "Size", choices: ["S", "M", "L", "XL"] }]);
    expect(p.variants![1]).toEqual({ id: V1_TSHIRT.variants[1]!.id, choices: { Size: "M" }, price: "25.00", originalPrice: null, sku: "TSM-M", inStock: false, stock: 0, visible: true });
    expect(p.variants!.filter((v) => v.inStock).map((v) => v.choices.Size)).toEqual(["S", "L", "XL"]);
    expect(p.inStock).toBe(true);
    expect(p.variantsByChoice).toBeUndefined();
  });

  it("V1 options not managed as variants: prices per variant (250 g / 500 g), bought by value, and a page base without a scheme gets https://", () => {
    const p = mapV1Product(V1_COFFEE, "EUR")!;
    expect(p.variants!.map((v) => [v.choices.Poids, v.price, v.stock])).toEqual([["250 g", "35.00", null], ["500 g", "70.00", null]]);
    expect(p.price).toBe("35.00");
    expect(p.variantsByChoice).toBe(true);
    expect(p.url).toBe("https://www.maison-lumiere.fr/product-page/cafe-moka-sidamo");
  });

  it("V3 Get Product: option names from optionChoiceNames, and out of stock but open for preorder is sellable", () => {
    const p = mapV3Product(V3_PREORDER, "EUR")!;
    expect(p.inStock).toBe(false);
    expect(p.preorder).toBe(true);
    expect(p.options).toEqual([{ name: "Taille", choices: ["38", "40"] }]);
    expect(p.variants).toEqual([
      { id: "var-38", choices: { Taille: "38" }, price: "129.00", originalPrice: null, sku: "RLS-38", inStock: false, stock: null, visible: true, preorder: true },
      { id: "var-40", choices: { Taille: "40" }, price: "129.00", originalPrice: null, sku: "RLS-40", inStock: false, stock: null, visible: true, preorder: true },
    ]);
  });
});
