/**
 * The assistant's search_products tool passes the shopper's filters to the catalogue index: a
 * model (the Hugging Face router double) asks for dresses under 80 € cheapest first, or for a
 * colour, and the products shown and returned to it respect them.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { newUser, say } from "../assistant/harness.js";
import { MODEL_ENV, useEmbeddings, useGemini, useHfRouter } from "../assistant/model-doubles.js";

const server = useMsw();
const hf = useHfRouter(server);
useGemini(server);
useEmbeddings(server);

let services: Services;
beforeEach(async () => {
  services = await createTestServices({ ...MODEL_ENV, OUTBOX_DIR: `/tmp/comptoir-test-outbox-catalogue-tool-${process.pid}` });
});
afterEach(async () => services.store.close());

const toolResult = (i: number) => {
  const msg = hf.requests[i]!.body.messages.find((m: { role: string }) => m.role === "tool");
  return JSON.parse(msg.content);
};

describe("search_products with filters", () => {
  it("offers the model the filters, in a schema it accepts", async () => {
    hf.script({ text: "Bonjour !" });
    await say(services, newUser(), "Bonjour");
    const tool = hf.requests[0]!.body.tools.find((t: { function: { name: string } }) => t.function.name === "search_products");
    expect(Object.keys(tool.function.parameters.properties).sort()).toEqual(
      ["category", "colour", "inStockOnly", "limit", "material", "maxPrice", "minPrice", "query", "sort"].sort(),
    );
    expect(tool.function.parameters.properties.sort.enum).toEqual(["relevance", "price_asc", "price_desc"]);
    expect(tool.function.parameters.required).toEqual(["query"]);
  });

  it("lists only dresses within the price bound, cheapest first, in the cards and in the tool result", async () => {
    hf.script({ calls: [{ name: "search_products", args: { query: "dress", maxPrice: 90, sort: "price_asc" } }] }, { text: "Voici." });
    const r = await say(services, newUser(), "A dress under 90 please, cheapest first");
    expect(r.reply.products.map((p) => p.id)).toEqual(["ml-robe-portefeuille-terracotta", "ml-robe-lin-sable"]);
    const result = toolResult(1);
    expect(result.status).toBe("ok");
    expect(result.products.map((p: { price: string }) => p.price)).toEqual(["79.00", "89.00"]);
    expect(result.products[0].options).toEqual([{ name: "Taille", choices: ["36", "38", "40", "42", "44"] }]);
  });

  it("reads a price phrase left in the query when the model passes no bound", async () => {
    hf.script({ calls: [{ name: "search_products", args: { query: "bougie moins de 25 €" } }] }, { text: "Voici." });
    const r = await say(services, newUser(), "une bougie à moins de 25 euros ?");
    expect(r.reply.products.map((p) => p.id).sort()).toEqual(["ml-bougie-figue-noire", "ml-bougie-fleur-oranger"]);
  });

  it("filters by colour and stock in the shopper's own language", async () => {
    hf.script({ calls: [{ name: "search_products", args: { query: "shoes", colour: "red", inStockOnly: false } }] }, { text: "Voici." });
    const r = await say(services, newUser(), "red shoes?");
    expect(r.reply.products.map((p) => p.id)).toEqual(["ml-ballerines-vernies-rouges"]);
    hf.script({ calls: [{ name: "search_products", args: { query: "shoes", colour: "red", inStockOnly: true } }] }, { text: "None in stock." });
    const none = await say(services, newUser(), "red shoes in stock?");
    expect(none.reply.products).toEqual([]);
  });
});
