import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getShop, ShopValidationError, type Shop } from "../../lib/shop/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { createTestServices } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";

let services: Services;
let shop: Shop;
let db: PgliteStore["db"];
beforeAll(async () => {
  services = await createTestServices({ COUPON_MAX_FIXED_AMOUNT: "50", COUPON_MAX_PERCENT: "30" });
  shop = getShop(services);
  db = (services.store as PgliteStore).db;
});
afterAll(async () => {
  await services.store.close();
});

const DRESSES = ["ml-robe-lin-sable", "ml-robe-portefeuille-terracotta", "ml-robe-longue-fleurie", "ml-petite-robe-noire", "ml-robe-pull-marine"];
const SHOES = ["ml-escarpins-cuir-camel", "ml-espadrilles-rayees", "ml-bottines-daim-cognac", "ml-sandales-tressees", "ml-ballerines-vernies-rouges"];
const ids = async (query: string, category?: string) => (await shop.searchProducts({ query, category })).map((p) => p.id);

describe("Demo shop catalogue (no WIX_API_KEY)", () => {
  it("is the shop served when Wix is not configured", () => {
    expect(shop.kind).toBe("demo");
  });

  it("finds the dresses for \"robe\" and for \"robes\", never the unreleased one", async () => {
    expect((await ids("robe")).sort()).toEqual([...DRESSES].sort());
    expect((await ids("Robes")).sort()).toEqual([...DRESSES].sort());
    expect(await ids("robe")).not.toContain("ml-robe-velours-hiver");
  });

  it("matches \"chaussure\" and \"chaussures\" alike, through the collection name", async () => {
    expect((await ids("chaussure")).sort()).toEqual([...SHOES].sort());
    expect((await ids("chaussures")).sort()).toEqual([...SHOES].sort());
  });

  it("ignores accents and case: écharpe = echarpe = ÉCHARPES", async () => {
    const a = await ids("écharpe");
    expect(a[0]).toBe("ml-echarpe-cachemire-grise");
    expect(await ids("echarpe")).toEqual(a);
    expect(await ids("ÉCHARPES")).toEqual(a);
    // "étole" is first; the other scarves follow as equivalents (the bilingual vocabulary's "scarf").
    const stoles = await ids("etole");
    expect(stoles[0]).toBe("ml-etole-laine-bordeaux");
    expect([...stoles].sort()).toEqual(["ml-echarpe-cachemire-grise", "ml-etole-laine-bordeaux", "ml-foulard-soie-riviera"]);
  });

  it("never returns an invisible product, even when asked for its own words", async () => {
    expect(await ids("velours")).toEqual([]);
    expect(await ids("collection hiver")).not.toContain("ml-robe-velours-hiver");
    expect(await shop.getProduct("ml-robe-velours-hiver")).toBeNull();
  });

  it("prefers products matching every word of the query", async () => {
    expect(await ids("bougie figue")).toEqual(["ml-bougie-figue-noire", "ml-coffret-trois-bougies"]);
    expect(await ids("une robe pour l'été")).toEqual(["ml-robe-longue-fleurie", "ml-robe-lin-sable"]);
  });

  it("restricts to a category given by name, slug or singular, and searches an unknown one as words", async () => {
    expect(await ids("cuir", "Chaussures")).toEqual(expect.arrayContaining(["ml-escarpins-cuir-camel", "ml-bottines-daim-cognac"]));
    expect(await ids("cuir", "chaussure")).not.toContain("ml-sac-bandouliere-cuir");
    expect((await ids("", "robe")).sort()).toEqual([...DRESSES].sort());
    expect((await ids("", "foulards-echarpes")).sort()).toEqual(["ml-echarpe-cachemire-grise", "ml-etole-laine-bordeaux", "ml-foulard-soie-riviera"]);
    expect(await ids("", "chapeaux")).toEqual([]);
  });

  it("caps results at 8 and honours a smaller limit", async () => {
    expect(await shop.searchProducts({ query: "", limit: 50 })).toHaveLength(8);
    expect(await shop.searchProducts({ query: "bougie", limit: 2 })).toHaveLength(2);
  });

  it("returns the same Product shape as Wix: exact decimals, absolute URLs, short plain description", async () => {
    const p = await shop.getProduct("ml-robe-portefeuille-terracotta");
    expect(p).toEqual({
      id: "ml-robe-portefeuille-terracotta",
      name: "Robe portefeuille Terracotta",
      price: "79.00",
      originalPrice: "99.00",
      currency: "EUR",
      imageUrl: "http://shop.test/demo/robe-portefeuille-terracotta.svg",
      description: "Robe portefeuille en viscose fluide, manches courtes et ceinture à nouer. Sa couleur terre cuite réchauffe le teint.",
      inStock: true,
      url: "http://shop.test/?produit=robe-portefeuille-terracotta#selection",
      visible: true,
      collections: ["Robes", "Soldes"],
      options: [{ name: "Taille", choices: ["36", "38", "40", "42", "44"] }],
      variants: ["36", "38", "40", "42", "44"].map((size) => ({
        id: `taille-${size}`,
        choices: { Taille: size },
        price: "79.00",
        originalPrice: "99.00",
        sku: `ROBEPORTEFEUILLETERRACOTTA-${size}`,
        inStock: true,
        stock: 1,
        visible: true,
      })),
    });
    const long = await shop.getProduct("ml-robe-lin-sable");
    expect(long!.description.length).toBeLessThanOrEqual(150);
    expect(long!.description.endsWith("…")).toBe(true);
    expect((await shop.getProduct("ml-sandales-tressees"))!.price).toBe("69.90");
    expect((await shop.getProduct("ml-robe-pull-marine"))!.inStock).toBe(false);
    expect((await shop.getProduct("ml-carte-cadeau-50"))!.imageUrl).toBeNull();
  });

  it("has an image file under public/ for every product image", async () => {
    const rows = await db.query<{ image_url: string }>("select image_url from public.catalogue_products where source = 'demo' and image_url is not null");
    expect(rows.rows.length).toBeGreaterThanOrEqual(20);
    for (const r of rows.rows) expect(existsSync(`public${r.image_url}`), r.image_url).toBe(true);
  });

  it("answers null for an unknown product id", async () => {
    expect(await shop.getProduct("ml-does-not-exist")).toBeNull();
    expect(await shop.getProduct("")).toBeNull();
  });
});

describe("Demo shop contacts and coupons", () => {
  it("creates a contact, then updates it by e-mail whatever its case", async () => {
    const first = await shop.upsertContact({ email: "Lea.Petit@Example.fr", name: "Léa Petit", phone: "06 98 76 54 32", source: "web" });
    expect(first.action).toBe("created");
    const again = await shop.upsertContact({ email: "lea.petit@example.fr", phone: "+33 7 11 22 33 44" });
    expect(again).toEqual({ id: first.id, action: "updated" });
    const rows = await db.query("select email, first_name, last_name, phone, source, labels, revision from public.shop_demo_contacts where id = $1", [first.id]);
    expect(rows.rows).toEqual([
      { email: "lea.petit@example.fr", first_name: "Léa", last_name: "Petit", phone: "+33711223344", source: "web", labels: ["custom.chatbot-lead"], revision: 2 },
    ]);
  });

  it("refuses a contact without a valid e-mail", async () => {
    await expect(shop.upsertContact({ email: "lea@" })).rejects.toBeInstanceOf(ShopValidationError);
  });

  it("records a single-use DEMO- coupon expiring after the given days (database clock)", async () => {
    await setDbNow(services.store as PgliteStore, "2026-11-25T10:00:00Z");
    try {
      const c = await shop.createCoupon({ type: "PERCENTAGE", value: 15, expiryDays: 7, description: "Bienvenue" });
      expect(c).toEqual({ id: expect.any(String), code: expect.stringMatching(/^DEMO-[2-9A-HJKMNP-Z]{10}$/), type: "PERCENTAGE", value: 15, expiresAt: "2026-12-02T10:00:00.000Z" });
      const row = await db.query("select code, type, value::text, usage_limit, description from public.shop_demo_coupons where id = $1", [c.id]);
      expect(row.rows).toEqual([{ code: c.code, type: "PERCENTAGE", value: "15.00", usage_limit: 1, description: "Bienvenue" }]);
    } finally {
      await setDbNow(services.store as PgliteStore, null);
    }
  });

  it.each([
    ["51 EUR fixed", { type: "FIXED_AMOUNT", value: 51, expiryDays: 7 }],
    ["31 %", { type: "PERCENTAGE", value: 31, expiryDays: 7 }],
    ["0 days", { type: "PERCENTAGE", value: 10, expiryDays: 0 }],
    ["91 days", { type: "PERCENTAGE", value: 10, expiryDays: 91 }],
    ["a negative amount", { type: "FIXED_AMOUNT", value: -1, expiryDays: 7 }],
  ] as const)("refuses %s and records nothing", async (_n, input) => {
    const before = (await db.query<{ n: number }>("select count(*)::int as n from public.shop_demo_coupons")).rows[0]!.n;
    await expect(shop.createCoupon(input)).rejects.toBeInstanceOf(ShopValidationError);
    expect((await db.query<{ n: number }>("select count(*)::int as n from public.shop_demo_coupons")).rows[0]!.n).toBe(before);
  });

  it("enforces the caps in SQL too, whatever a caller passes", async () => {
    await expect(
      services.store.rpc("shop_create_coupon", { p_code: "DEMO-HACK", p_type: "FIXED_AMOUNT", p_value: 500, p_expiry_days: 7, p_max_percent: 30, p_max_fixed_amount: 50 }),
    ).rejects.toThrow(/out of bounds/);
    await expect(
      services.store.rpc("shop_create_coupon", { p_code: "DEMO-HACK", p_type: "PERCENTAGE", p_value: 10, p_expiry_days: 365, p_max_percent: 30, p_max_fixed_amount: 50 }),
    ).rejects.toThrow(/1\.\.90 days/);
  });
});
