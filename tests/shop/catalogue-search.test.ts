/**
 * Search that understands shoppers, measured against the demo catalogue: misspelt product words,
 * English words for a French catalogue, no accents, plurals, price phrases and filters. Each row
 * is what a shopper might type and what they should see first (or only).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchCatalogue } from "../../lib/shop/catalogue-index.js";
import { syncCatalogue, type CatalogueInput } from "../../lib/shop/catalogue-sync.js";
import { compareDecimal } from "../../lib/money/index.js";
import { getShop, ShopValidationError, type Product, type ProductSearch, type Shop } from "../../lib/shop/index.js";
import type { Services } from "../../lib/services.js";
import { createTestServices } from "../helpers/services.js";

let services: Services;
let shop: Shop;
beforeAll(async () => {
  services = await createTestServices();
  shop = getShop(services);
});
afterAll(async () => {
  await services.store.close();
});

const DRESSES = ["ml-robe-lin-sable", "ml-robe-portefeuille-terracotta", "ml-robe-longue-fleurie", "ml-petite-robe-noire", "ml-robe-pull-marine"];
const SHOES = ["ml-escarpins-cuir-camel", "ml-espadrilles-rayees", "ml-bottines-daim-cognac", "ml-sandales-tressees", "ml-ballerines-vernies-rouges"];
const CANDLES = ["ml-bougie-figue-noire", "ml-bougie-fleur-oranger", "ml-bougie-feu-de-bois", "ml-coffret-trois-bougies"];
const BAGS = ["ml-sac-cabas-toile", "ml-sac-bandouliere-cuir", "ml-pochette-soiree-doree", "ml-panier-osier"];
const SCARVES = ["ml-echarpe-cachemire-grise", "ml-foulard-soie-riviera", "ml-etole-laine-bordeaux"];

const search = (s: string | ProductSearch) => shop.searchProducts(typeof s === "string" ? { query: s } : s);
const ids = (ps: Product[]) => ps.map((p) => p.id);

describe("misspelt product words are corrected from the catalogue's own words", () => {
  it.each([
    ["chausures", SHOES],
    ["robbe", DRESSES],
    ["bougis", CANDLES],
    ["echarppe", SCARVES],
  ])("%s finds only products of the right kind", async (query, kind) => {
    const found = ids(await search(query));
    expect(found.length, query).toBeGreaterThan(0);
    for (const id of found) expect(kind, `${query} -> ${found.join(", ")}`).toContain(id);
  });

  it.each([
    ["bougi figue", "ml-bougie-figue-noire"],
    ["ecahrpe cachemir", "ml-echarpe-cachemire-grise"],
    ["espadrile", "ml-espadrilles-rayees"],
    ["sandalles tresses", "ml-sandales-tressees"],
    ["botines daim", "ml-bottines-daim-cognac"],
    ["panier en osiere", "ml-panier-osier"],
    ["diffuseur lavende", "ml-diffuseur-lavande"],
    ["plaide en laine", "ml-plaid-laine-ecru"],
  ])("%s puts %s first", async (query, first) => {
    expect(ids(await search(query))[0], query).toBe(first);
  });

  it("says which words it corrected, and corrects nothing the catalogue knows", async () => {
    const fixed = await searchCatalogue(services.store, "demo", { query: "bouggie figue" });
    expect(fixed.corrections).toEqual([{ from: "bouggie", to: expect.stringMatching(/^bougies?$/) }]);
    expect(fixed.products[0]!.id).toBe("ml-bougie-figue-noire");
    const known = await searchCatalogue(services.store, "demo", { query: "bougie figue" });
    expect(known.corrections).toEqual([]);
  });

  it("does not turn gibberish into a product word", async () => {
    expect(await search("blablabla zorglub")).toEqual([]);
  });
});

describe("English shopper words find the French catalogue", () => {
  it.each([
    ["dress", DRESSES],
    ["dresses", DRESSES],
    ["shoes", SHOES],
    ["candles", CANDLES],
    ["bags", BAGS],
    ["scarves", SCARVES],
  ])("%s finds the right collection", async (query, kind) => {
    const found = ids(await search(query));
    expect(found.length, query).toBeGreaterThan(0);
    for (const id of found) expect(kind, `${query} -> ${found.join(", ")}`).toContain(id);
  });

  it.each([
    ["linen dress", "ml-robe-lin-sable"],
    ["black evening dress", "ml-petite-robe-noire"],
    ["long floral dress for a wedding", "ml-robe-longue-fleurie"],
    ["navy knit dress", "ml-robe-pull-marine"],
    ["scented candle with fig", "ml-bougie-figue-noire"],
    ["leather crossbody bag", "ml-sac-bandouliere-cuir"],
    ["silk scarf", "ml-foulard-soie-riviera"],
    ["cashmere scarf", "ml-echarpe-cachemire-grise"],
    ["wool blanket", "ml-plaid-laine-ecru"],
    ["red ballet flats", "ml-ballerines-vernies-rouges"],
    ["suede boots", "ml-bottines-daim-cognac"],
    ["striped espadrilles", "ml-espadrilles-rayees"],
    ["gift card", "ml-carte-cadeau-50"],
    ["wicker basket", "ml-panier-osier"],
    ["gold clutch", "ml-pochette-soiree-doree"],
    ["lavender diffuser", "ml-diffuseur-lavande"],
    ["wrap dress", "ml-robe-portefeuille-terracotta"],
  ])("%s puts %s first", async (query, first) => {
    expect(ids(await search(query))[0], `${query}`).toBe(first);
  });

  it("finds a colour that only a variant has (the green tote)", async () => {
    expect(ids(await search("green tote"))[0]).toBe("ml-sac-cabas-toile");
    expect(ids(await search("sac vert"))[0]).toBe("ml-sac-cabas-toile");
  });
});

describe("French as shoppers type it: no accents, plurals, small words", () => {
  it.each([
    ["bougies parfumees", CANDLES],
    ["des robes", DRESSES],
    ["ECHARPES", SCARVES],
  ])("%s finds the right collection", async (query, kind) => {
    const found = ids(await search(query));
    expect(found.length).toBeGreaterThan(0);
    for (const id of found) expect(kind).toContain(id);
  });

  it.each([
    ["une robe noire pour une soiree", "ml-petite-robe-noire"],
    ["foulard en soie", "ml-foulard-soie-riviera"],
    ["bottines en daim", "ml-bottines-daim-cognac"],
    ["je cherche un sac pour la plage", "ml-sac-cabas-toile"],
  ])("%s puts %s first", async (query, first) => {
    expect(ids(await search(query))[0]).toBe(first);
  });
});

const within = (ps: Product[], min: string | null, max: string | null) =>
  ps.every((p) => (min === null || compareDecimal(p.price, min) >= 0 || (p.variants ?? []).length > 0) && (max === null || compareDecimal(p.price, max) <= 0));

describe("price phrases in the query are bounds and orders", () => {
  it.each([
    ["robe moins de 100 €", null, "100.00", ["ml-robe-lin-sable", "ml-robe-portefeuille-terracotta", "ml-robe-pull-marine"]],
    ["dress under 80", null, "80.00", ["ml-robe-portefeuille-terracotta"]],
    ["a gift around 50 euros", "40.00", "60.00", ["ml-carte-cadeau-50"]],
    ["bougie entre 25 et 35 €", "25.00", "35.00", ["ml-bougie-feu-de-bois"]],
    ["shoes over 100", "100.00", null, ["ml-escarpins-cuir-camel", "ml-bottines-daim-cognac"]],
    ["sac 50 € max", null, "50.00", ["ml-sac-cabas-toile"]],
  ])("%s keeps prices within [%s, %s]", async (query, min, max, expected) => {
    const found = await search(query);
    expect([...ids(found)].sort(), query).toEqual([...expected].sort());
    expect(within(found, min, max)).toBe(true);
  });

  it("a scarf at 75 € is not a gift around 50 euros", async () => {
    expect(ids(await search("scarf around 50 euros"))).toEqual([]);
    expect(ids(await search("scarf around 70 euros")).sort()).toEqual(["ml-etole-laine-bordeaux", "ml-foulard-soie-riviera"]);
  });

  it("sorts the cheapest first and the most expensive first", async () => {
    const cheap = await search("the cheapest candle");
    expect(cheap.map((p) => p.price)).toEqual([...cheap.map((p) => p.price)].sort((a, b) => compareDecimal(a, b)));
    expect(cheap[0]!.price).toBe("24.90");
    const dear = await search("le sac le plus cher");
    expect(dear[0]!.id).toBe("ml-sac-bandouliere-cuir");
    expect(dear.map((p) => p.price)).toEqual([...dear.map((p) => p.price)].sort((a, b) => compareDecimal(b, a)));
  });

  it("reads availability words: a dress in stock never lists the sold-out one", async () => {
    const found = ids(await search("robe en stock"));
    expect(found).not.toContain("ml-robe-pull-marine");
    expect(found.length).toBe(4);
  });
});

describe("explicit filters", () => {
  it("category, colour and material narrow the results, in either language", async () => {
    expect(ids(await search({ query: "", category: "dresses", colour: "blue" }))).toEqual(["ml-robe-pull-marine"]);
    expect(ids(await search({ query: "", category: "Chaussures", colour: "rouge" }))).toEqual(["ml-ballerines-vernies-rouges"]);
    expect(ids(await search({ query: "", category: "bags", material: "leather" }))[0]).toBe("ml-sac-bandouliere-cuir");
    expect(ids(await search({ query: "", category: "scarves", material: "silk" }))).toEqual(["ml-foulard-soie-riviera"]);
  });

  it("a price bound qualifies a product by its variants (the green tote costs more)", async () => {
    expect(ids(await search({ query: "cabas", minPrice: "52" }))).toEqual(["ml-sac-cabas-toile"]);
    expect(ids(await search({ query: "cabas", minPrice: "60" }))).toEqual([]);
    expect(ids(await search({ query: "sac", maxPrice: "50.00" }))).toEqual(["ml-sac-cabas-toile"]);
  });

  it("in stock only drops sold-out products; explicit fields win over the words", async () => {
    const all = ids(await search({ query: "chaussures" }));
    const inStock = ids(await search({ query: "chaussures", inStockOnly: true }));
    expect(all).toContain("ml-ballerines-vernies-rouges");
    expect(inStock).not.toContain("ml-ballerines-vernies-rouges");
    expect(ids(await search({ query: "robe moins de 100 €", maxPrice: "80" }))).toEqual(["ml-robe-portefeuille-terracotta"]);
  });

  it("sorts a whole category by price", async () => {
    const shoes = await search({ query: "", category: "chaussures", sort: "price_asc" });
    expect(shoes.map((p) => p.id)[0]).toBe("ml-espadrilles-rayees");
    expect(shoes.map((p) => p.price)).toEqual([...shoes.map((p) => p.price)].sort((a, b) => compareDecimal(a, b)));
  });

  it("refuses a malformed price bound or sort before asking the database", async () => {
    const before = services.store.roundTrips;
    await expect(search({ query: "robe", maxPrice: "cheap" })).rejects.toBeInstanceOf(ShopValidationError);
    await expect(search({ query: "robe", sort: "random" as never })).rejects.toBeInstanceOf(ShopValidationError);
    expect(services.store.roundTrips).toBe(before);
  });
});

describe("cost", () => {
  it("answers a search in one store round trip, whatever the words and filters", async () => {
    const before = services.store.roundTrips;
    await search({ query: "robbe noire pour une soirée moins de 150 €", category: "dresses", colour: "black", inStockOnly: true, sort: "price_asc" });
    expect(services.store.roundTrips - before).toBe(1);
  });
});

describe("variant prices after a sync", () => {
  type Variant = NonNullable<CatalogueInput["variants"]>[number];
  const variant = (id: string, price: string, visible = true): Variant => ({ id, choices: { Couleur: id }, price, compareAtPrice: null, sku: null, inStock: true, stock: null, visible });
  const lamp = (variants: Variant[]): CatalogueInput => ({
    id: "t-lampe-chevet", slug: "lampe-chevet", name: "Lampe de chevet", description: "Une lampe en laiton.", price: "10.00", compareAtPrice: null,
    currency: "EUR", inStock: true, stock: null, preorder: false, imageUrl: null, url: null, collections: ["Maison"], options: [], vendorUpdatedAt: null, variants,
  });
  const sync = (product: CatalogueInput) =>
    syncCatalogue(services.store, "wix", async function* () { yield { products: [product], hidden: [] }; }, { maxAgeSeconds: 0, force: true });
  /** [id, the price the search matched on] of the lamps found. */
  const lamps = async (filters: Partial<ProductSearch> = {}) =>
    (await searchCatalogue(services.store, "wix", { query: "lampe", ...filters })).products.map((p) => [p.id, (p as Product & { matchPrice?: string }).matchPrice]);

  it("match on the cheapest visible variant as each sync leaves them, with or without a price bound", async () => {
    await sync(lamp([variant("blanc", "30.00"), variant("noir", "50.00")]));
    expect(await lamps()).toEqual([["t-lampe-chevet", "30.00"]]);
    await sync(lamp([variant("blanc", "70.00"), variant("noir", "90.00")]));
    expect(await lamps()).toEqual([["t-lampe-chevet", "70.00"]]);
    expect(await lamps({ maxPrice: "60" })).toEqual([]);
    expect(await lamps({ minPrice: "80" })).toEqual([["t-lampe-chevet", "90.00"]]);
    await sync(lamp([variant("blanc", "70.00", false), variant("noir", "90.00")]));
    expect(await lamps()).toEqual([["t-lampe-chevet", "90.00"]]);
    await sync(lamp([]));
    expect(await lamps()).toEqual([["t-lampe-chevet", "10.00"]]);
  });
});
