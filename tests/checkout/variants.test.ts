import { describe, expect, it } from "vitest";
import { chooseVariant } from "../../lib/checkout/variants.js";
import type { Product, ProductVariant } from "../../lib/shop/types.js";

const v = (id: string, choices: Record<string, string>, over: Partial<ProductVariant> = {}): ProductVariant => ({
  id, choices, price: "59.00", originalPrice: null, sku: null, inStock: true, stock: 3, visible: true, ...over,
});
const dress: Product = {
  id: "ml-robe-lin-sable", name: "Robe en lin Sable", price: "59.00", originalPrice: null, currency: "EUR", imageUrl: null,
  description: "", inStock: true, url: null, visible: true,
  options: [{ name: "Taille", choices: ["36", "38", "40"] }, { name: "Couleur", choices: ["Sable", "Noir"] }],
  variants: [
    v("36s", { Taille: "36", Couleur: "Sable" }), v("38s", { Taille: "38", Couleur: "Sable" }, { inStock: false, stock: 0 }),
    v("40s", { Taille: "40", Couleur: "Sable" }), v("36n", { Taille: "36", Couleur: "Noir" }), v("40n", { Taille: "40", Couleur: "Noir" }, { visible: false }),
  ],
};

describe("which variant a line buys", () => {
  it.each([
    ["no choice: ask the first option, offering only sizes still sellable", {}, { kind: "needs_choice", option: "Taille", choices: ["36", "40"] }],
    ["a size with two colours: ask the colour", { choices: { taille: "36" } }, { kind: "needs_choice", option: "Couleur", choices: ["Sable", "Noir"] }],
    ["a size with one colour left: that variant", { choices: { Taille: "40" } }, { kind: "variant", variant: expect.objectContaining({ id: "40s" }) }],
    ["every choice, loosely spelled", { choices: { TAILLE: "36", couleur: "noir" } }, { kind: "variant", variant: expect.objectContaining({ id: "36n" }) }],
    ["a sold-out combination", { choices: { Taille: "38", Couleur: "Sable" } }, { kind: "out_of_stock", variant: expect.objectContaining({ id: "38s" }) }],
    ["a value the shop does not sell", { choices: { Taille: "52" } }, { kind: "unknown_variant" }],
    ["a variant id", { variantId: "36s" }, { kind: "variant", variant: expect.objectContaining({ id: "36s" }) }],
    ["a sold-out variant id", { variantId: "38s" }, { kind: "out_of_stock", variant: expect.objectContaining({ id: "38s" }) }],
    ["a hidden variant id", { variantId: "40n" }, { kind: "unknown_variant" }],
  ])("%s", (_name, wanted, expected) => {
    expect(chooseVariant(dress, wanted)).toEqual(expected);
  });

  it("a preorder variant is sellable; a product without variants is sold as is; a single variant needs no choice", () => {
    const pre = { ...dress, options: [], variants: [v("only", {}, { inStock: false, preorder: true })] };
    expect(chooseVariant(pre, {})).toEqual({ kind: "variant", variant: expect.objectContaining({ id: "only" }) });
    expect(chooseVariant({ ...dress, options: undefined, variants: undefined }, {})).toEqual({ kind: "none" });
    expect(chooseVariant({ ...dress, options: undefined, variants: undefined }, { variantId: "x" })).toEqual({ kind: "unknown_variant" });
  });
});
