/**
 * What the offline assistant understands across turns and within a message, at the edges a shopper
 * sees (the reply) and in the rows stored (chat_dialogue, one state per conversation, saved in the
 * turn's own round trips).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../../lib/services.js";
import { createTestServices } from "../helpers/services.js";
import { newUser, rows, say } from "./harness.js";

let services: Services;
beforeAll(async () => {
  services = await createTestServices({ BRAND_NAME: "Maison Lumière", OUTBOX_DIR: `/tmp/comptoir-test-outbox-dialogue-${process.pid}` });
});
afterAll(async () => services.store.close());

describe("dialogue state", () => {
  it("stores the list shown and answers 'la deuxième' with the second card, without an extra round trip", async () => {
    const user = newUser();
    const list = await say(services, user, "vous avez des bougies ?");
    const ids = list.reply.products.map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const [state] = await rows<{ state: { shown: string[] } }>(services, "select state from chat_dialogue where conversation_id = $1", [list.conversationId]);
    expect(state!.state.shown).toEqual(ids.slice(0, 5));

    const before = services.store.roundTrips;
    const second = await say(services, user, "la deuxième coûte combien ?");
    expect(second.reply.products.map((p) => p.id)).toEqual([ids[1]]);
    expect(second.reply.text).toContain(second.reply.products[0]!.name);
    // begin (with the state) + one product read + finish (with the state): no round trip of its own.
    expect(services.store.roundTrips - before).toBe(3);
    const [after] = await rows<{ state: { focus: string; shown: string[] } }>(services, "select state from chat_dialogue where conversation_id = $1", [list.conversationId]);
    expect(after!.state).toMatchObject({ focus: ids[1], shown: ids.slice(0, 5) });
  });

  it("buys the product in focus with 'je la prends' and prices it on the server", async () => {
    const user = newUser();
    await say(services, user, "la bougie feu de bois");
    const r = await say(services, user, "je la prends");
    expect(r.reply.text).toMatch(/29,00 €/);
    expect(r.reply.products.map((p) => p.id)).toEqual(["ml-bougie-feu-de-bois"]);
  });

  it("refines the last search with a colour and with 'cheaper'", async () => {
    const user = newUser();
    await say(services, user, "do you have dresses?");
    const blue = await say(services, user, "in blue?");
    expect(blue.reply.products.map((p) => p.id)).toEqual(["ml-robe-pull-marine"]);
    await say(services, user, "the little black dress");
    const cheaper = await say(services, user, "anything cheaper?");
    expect(cheaper.reply.products.length).toBeGreaterThan(0);
    for (const p of cheaper.reply.products) expect(Number(p.price)).toBeLessThan(139);
    expect(cheaper.reply.coupon).toBeUndefined();
  });
});

describe("within one message", () => {
  it("puts several products with their quantities in one cart", async () => {
    const r = await say(services, newUser(), "je veux acheter 2 bougies figue noire et 1 coffret trois mini bougies");
    expect(r.reply.text).toContain("88,80 €");
    expect(r.reply.text).toMatch(/2 × Bougie parfumée Figue noire/);
    expect(r.reply.text).toMatch(/1 × Coffret trois mini-bougies/);
  });

  it("applies a price bound as a filter: no card above it", async () => {
    const r = await say(services, newUser(), "des bougies à moins de 25 euros ?");
    expect(r.reply.products.length).toBeGreaterThan(0);
    for (const p of r.reply.products) expect(Number(p.price)).toBeLessThanOrEqual(25);
  });

  it("answers a shipping question from the knowledge base with the sentence that answers, not the whole page", async () => {
    const r = await say(services, newUser(), "le point relais c'est combien ?");
    expect(r.reply.text).toContain("3,90 €");
    expect(r.reply.products).toEqual([]);
    // The passage has more than this: the international rates are not quoted.
    expect(r.reply.text).not.toContain("Chronopost");
    expect(r.reply.text.length).toBeLessThan(500);
  });

  it("greets with the shop's name from BRAND_NAME, not the software's", async () => {
    const r = await say(services, newUser(), "Bonjour");
    expect(r.reply.text).toContain("Maison Lumière");
    expect(r.reply.text).not.toContain("Comptoir");
  });

  it("does not list products for an off-topic message", async () => {
    const r = await say(services, newUser(), "il va pleuvoir demain à Aix ?");
    expect(r.reply.products).toEqual([]);
    expect(r.reply.handoff).toBe(false);
  });
});
