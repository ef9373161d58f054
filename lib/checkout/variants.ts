/**
 * Which variant of a product a cart line buys: the one named by id, or the one the shopper's
 * choices single out, or the only one there is. When a choice is still missing, says which
 * option and which values are still sellable, so the caller can ask ("which size: 36, 38?").
 * Out-of-stock variants are refused here, before any outside call; preorder ones are sellable.
 */
import { foldText } from "../shop/text.js";
import type { Product, ProductVariant } from "../shop/types.js";

export type VariantChoice =
  | { kind: "none" } // the product has no variants: sold as is
  | { kind: "variant"; variant: ProductVariant }
  | { kind: "needs_choice"; option: string; choices: string[] }
  | { kind: "unknown_variant" }
  | { kind: "out_of_stock"; variant?: ProductVariant };

const sellable = (v: ProductVariant) => v.visible && (v.inStock || v.preorder === true);
const same = (a: string, b: string) => foldText(a).trim() === foldText(b).trim();

/** The value of option `name` in `choices`, matching the option name loosely ("taille" = "Taille"). */
function valueOf(choices: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(choices).find((k) => same(k, name));
  return key === undefined ? undefined : choices[key];
}

/** "Taille 38, Couleur Rouge" -> for line names and messages. */
export function variantLabel(v: Pick<ProductVariant, "choices">): string {
  return Object.values(v.choices).join(" / ");
}

export function chooseVariant(product: Product, wanted: { variantId?: string | undefined; choices?: Record<string, string> | undefined }): VariantChoice {
  const variants = (product.variants ?? []).filter((v) => v.visible);
  if (!variants.length) {
    if (wanted.variantId) return { kind: "unknown_variant" };
    return { kind: "none" };
  }
  if (wanted.variantId) {
    const v = variants.find((x) => x.id === wanted.variantId);
    if (!v) return { kind: "unknown_variant" };
    return sellable(v) ? { kind: "variant", variant: v } : { kind: "out_of_stock", variant: v };
  }
  const options = product.options ?? [];
  const given = wanted.choices ?? {};
  // Variants that agree with every choice given (a value not offered matches nothing).
  let candidates = variants;
  for (const o of options) {
    const value = valueOf(given, o.name);
    if (value !== undefined) candidates = candidates.filter((v) => { const mine = valueOf(v.choices, o.name); return mine !== undefined && same(mine, value); });
  }
  if (!candidates.length) return Object.keys(given).length ? { kind: "unknown_variant" } : { kind: "out_of_stock" };
  const open = candidates.filter(sellable);
  if (candidates.length === 1) return open.length ? { kind: "variant", variant: candidates[0]! } : { kind: "out_of_stock", variant: candidates[0]! };
  if (!open.length) return { kind: "out_of_stock" };
  // The first undecided option on which the candidates differ: ask for it, offering the values
  // still sellable, in the shop's order (a sold-out size is not offered).
  for (const o of options) {
    if (valueOf(given, o.name) !== undefined) continue;
    const offered = new Set(candidates.map((v) => valueOf(v.choices, o.name)).filter((x): x is string => x !== undefined).map((x) => foldText(x).trim()));
    if (offered.size < 2) continue;
    const values = o.choices.filter((c) => open.some((v) => { const mine = valueOf(v.choices, o.name); return mine !== undefined && same(mine, c); }));
    return { kind: "needs_choice", option: o.name, choices: values };
  }
  // Options all decided (or none declared) but several variants left: the first sellable one
  // would be a guess, so ask on the first option that tells them apart.
  const names = [...new Set(open.flatMap((v) => Object.keys(v.choices)))];
  for (const name of names) {
    const values = [...new Set(open.map((v) => v.choices[name]).filter((x): x is string => !!x))];
    if (values.length > 1) return { kind: "needs_choice", option: name, choices: values };
  }
  return { kind: "variant", variant: open[0]! };
}
