/**
 * The offline assistant (no model key): every capability in French and in English, through
 * handleTurn, asserting on the reply the shopper reads and on the rows stored.
 */
import { readdirSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConversation, releaseConversation } from "../../lib/assistant/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { STRIPE_ENV, useStripeDouble } from "../checkout/stripe-double.js";
import { buttonPayload, newUser, rows, say, shown } from "./harness.js";

const OUTBOX = `/tmp/comptoir-test-outbox-assistant-${process.pid}`;
const server = useMsw();
const stripe = useStripeDouble(server);

let services: Services;
let paying: Services;
beforeAll(async () => {
  services = await createTestServices({ OUTBOX_DIR: OUTBOX });
  paying = await createTestServices({ ...STRIPE_ENV, OUTBOX_DIR: OUTBOX });
});
afterAll(async () => {
  await services.store.close();
  await paying.store.close();
  rmSync(OUTBOX, { recursive: true, force: true });
});

describe("greetings", () => {
  it("welcomes a French shopper, lists what it can do and offers buttons for each capability", async () => {
    const r = await say(services, newUser(), "Bonjour !");
    expect(r.provider).toBe("offline");
    expect(r.reply.text).toMatch(/Bonjour ! Je suis l'assistant/);
    expect(r.reply.buttons.map((b) => b.payload)).toEqual(expect.arrayContaining(["search:", "discount", "human"]));
    expect(r.reply.buttons.every((b) => [...b.title].length <= 20)).toBe(true);
  });

  it("answers an English greeting in English", async () => {
    const r = await say(services, newUser(), "Hello");
    expect(r.reply.text).toMatch(/^Hello! I'm the Comptoir assistant/);
    expect(r.reply.buttons.map((b) => b.title)).toContain("Talk to a human");
  });

  it("keeps the conversation's language for a message that does not tell", async () => {
    const user = newUser();
    await say(services, user, "do you have candles?");
    const r = await say(services, user, "ok");
    expect(r.reply.text).toMatch(/You're welcome/);
  });
});

describe("product search (search_products)", () => {
  it("finds dresses for 'vous avez des robes ?' with cards and detail buttons that work when pressed", async () => {
    const user = newUser();
    const r = await say(services, user, "vous avez des robes ?");
    expect(r.reply.products.length).toBeGreaterThanOrEqual(3);
    expect(r.reply.products.every((p) => /robe/i.test(p.name))).toBe(true);
    expect(r.reply.text).toContain("Robe en lin Sable — 89,00 €");
    const details = buttonPayload(r, "details:");
    const pressed = await say(services, user, r.reply.buttons[0]!.title, { payload: details });
    expect(pressed.reply.products).toHaveLength(1);
    expect(pressed.reply.text).toContain(pressed.reply.products[0]!.name);
    expect(pressed.reply.buttons.map((b) => b.payload)).toContain(`buy:${pressed.reply.products[0]!.id}`);
  });

  it("finds candles for 'do you have candles' on the French catalogue, in English", async () => {
    const r = await say(services, newUser(), "do you have candles?");
    expect(r.reply.text).toMatch(/^Here is what I found/);
    expect(r.reply.products.map((p) => p.id)).toEqual(expect.arrayContaining(["ml-bougie-figue-noire", "ml-bougie-feu-de-bois"]));
    expect(r.reply.text).toContain("€24.90");
  });

  it("asked for a colour the kind of product does not come in, says so and shows that kind, not other products in the colour", async () => {
    // The demo has no red dress; it has red ballerinas (and a clutch whose text mentions a "rouge à lèvres").
    const fr = await say(services, newUser(), "vous avez une robe rouge ?");
    expect(fr.reply.text).toMatch(/Je n'ai rien en rouge pour « robe »/);
    expect(fr.reply.products.length).toBeGreaterThanOrEqual(3);
    expect(fr.reply.products.every((p) => /robe/i.test(p.name))).toBe(true);
    const en = await say(services, newUser(), "a red dress please");
    expect(en.reply.text).toMatch(/I have nothing in red for "dress"/);
    expect(en.reply.products.every((p) => /robe/i.test(p.name))).toBe(true);
  });

  it("names a colour in the shopper's language, and finds products by colour when the words name nothing", async () => {
    const r = await say(services, newUser(), "something gold for a night out");
    expect(r.reply.text).toMatch(/in gold:/);
    expect(r.reply.products.map((p) => p.id)).toContain("ml-pochette-soiree-doree");
  });

  it("says it found nothing rather than inventing a product", async () => {
    const r = await say(services, newUser(), "vous avez des tronçonneuses ?");
    expect(r.reply.products).toEqual([]);
    expect(r.reply.text).toMatch(/Je n'ai rien trouvé pour « tronconneuse »/);
  });
});

describe("price and stock (get_product)", () => {
  it("gives the price of a discounted product with its former price", async () => {
    const r = await say(services, newUser(), "Combien coûte la robe portefeuille ?");
    expect(r.reply.text).toBe("Robe portefeuille Terracotta : 79,00 € (au lieu de 99,00 €), en stock.");
    expect(r.reply.buttons.map((b) => b.payload)).toEqual(["buy:ml-robe-portefeuille-terracotta"]);
  });

  it("says a product is sold out, and offers no buy button", async () => {
    const r = await say(services, newUser(), "Est-ce que la robe pull marine est en stock ?");
    expect(r.reply.text).toMatch(/^Robe pull en maille Marine n'est plus disponible/);
    expect(r.reply.buttons.some((b) => b.payload.startsWith("buy:"))).toBe(false);
  });

  it("answers 'is the linen dress in stock?' in English about the product just named", async () => {
    const r = await say(services, newUser(), "Is the linen dress in stock?");
    expect(r.reply.text).toBe("Yes, Robe en lin Sable is in stock (€89.00).");
  });

  it("answers 'how much is it?' about the product shown in the previous reply", async () => {
    const user = newUser();
    await say(services, user, "Bougie", { payload: "details:ml-bougie-feu-de-bois" });
    const r = await say(services, user, "how much is it?");
    expect(r.reply.text).toBe("Bougie Feu de bois: €29.00, in stock.");
  });
});

describe("discount offers (offer_coupon)", () => {
  it("offers the default discount, stores an offer (never a code) and redeems it when the button is pressed", async () => {
    const user = newUser();
    const r = await say(services, user, "une réduction ?");
    const offerId = buttonPayload(r, "redeem:").slice("redeem:".length);
    expect(r.reply.coupon).toMatchObject({ offerId, type: "PERCENTAGE", value: 10 });
    expect(r.reply.text).toContain(`offre n° ${offerId}`);
    expect(r.reply.text).toContain("-10 %");
    const offers = await rows<{ type: string; value: string; status: string; conversation_id: string }>(services, "select type, value::text, status, conversation_id from app_coupon_offer where id = $1", [offerId]);
    expect(offers).toEqual([{ type: "PERCENTAGE", value: "10.00", status: "offered", conversation_id: r.conversationId }]);
    expect(await rows(services, "select 1 from shop_demo_coupons")).toHaveLength(0);

    const pressed = await say(services, user, "Obtenir mon code", { payload: `redeem:${offerId}` });
    const code = /DEMO-[0-9A-Z]+/.exec(pressed.reply.text)?.[0];
    expect(code).toBeDefined();
    expect(await rows(services, "select value::text from shop_demo_coupons where code = $1", [code])).toEqual([{ value: "10.00" }]);
    // Pressed again: the same code, no second coupon.
    const again = await say(services, user, "Obtenir mon code", { payload: `redeem:${offerId}` });
    expect(again.reply.text).toContain(code!);
    expect(await rows(services, "select 1 from shop_demo_coupons where code like 'DEMO-%'")).toHaveLength(1);
  });

  it("refuses a second offer in the same conversation during the cool-down", async () => {
    const user = newUser();
    await say(services, user, "une réduction ?");
    const r = await say(services, user, "encore une remise svp");
    expect(r.reply.text).toMatch(/déjà été faite récemment ; une nouvelle offre sera possible dans 30 jours/);
    expect(await rows(services, "select 1 from app_coupon_offer where conversation_id = $1", [r.conversationId])).toHaveLength(1);
  });

  it("answers 'send me a discount' in English", async () => {
    const r = await say(services, newUser(), "send me a discount");
    expect(r.reply.text).toMatch(/I've reserved 10% off for you, valid until/);
    expect(r.reply.buttons.map((b) => b.title)).toContain("Get my code");
  });

  it("does not redeem an offer id that does not exist", async () => {
    const r = await say(services, newUser(), "Get my code", { payload: "redeem:off_AAAAAAAAAAAAAAAAAAAAAA" });
    expect(r.reply.text).toBe("I can't find this offer in our conversation.");
  });
});

describe("leads (capture_lead)", () => {
  it("captures the email a French shopper types, with their name and phone, and remembers it on the conversation", async () => {
    const r = await say(services, newUser(), "Je m'appelle Marie Durand, écrivez-moi à Marie.Durand@Example.fr ou au 06 12 34 56 78");
    // Then the consent question, in fixed words with Yes/No buttons (lib/leads/consent.ts).
    expect(r.reply.text).toBe(
      "Merci ! C'est noté : la boutique vous recontactera à marie.durand@example.fr.\n\nSouhaitez-vous recevoir par e-mail les nouveautés et offres de Comptoir ? Vous pourrez vous désinscrire à tout moment.",
    );
    expect(r.reply.buttons.map((b) => b.payload)).toEqual(["consent:yes", "consent:no"]);
    const leads = await rows<{ email: string; name: string; phone: string; source: string }>(services, "select email, name, phone, source from app_lead where email = 'marie.durand@example.fr'");
    expect(leads).toEqual([{ email: "marie.durand@example.fr", name: "Marie Durand", phone: "+33612345678", source: "chat-web" }]);
    expect((await getConversation(services, r.conversationId))?.contact_email).toBe("marie.durand@example.fr");
    // The owner was told (outbox, since SMTP is not configured).
    expect(readdirSync(OUTBOX).length).toBeGreaterThan(0);
  });

  it("captures an English shopper's email", async () => {
    const r = await say(services, newUser(), "my email is john.smith@example.com, my name is John Smith");
    expect(r.reply.text).toBe(
      "Thank you! Noted: the shop will get back to you at john.smith@example.com.\n\nWould you like to receive Comptoir's news and offers by email? You can unsubscribe at any time.",
    );
    expect(await rows(services, "select name from app_lead where email = 'john.smith@example.com'")).toEqual([{ name: "John Smith" }]);
  });

  it("uses the captured email for the discount offer's cool-down across conversations", async () => {
    const a = newUser();
    await say(services, a, "c'est lea.martin@example.fr");
    await say(services, a, "une réduction ?");
    const b = newUser();
    const r = await say(services, b, "lea.martin@example.fr : je voudrais une réduction");
    expect(r.reply.text).toMatch(/une nouvelle offre sera possible/);
  });
});

describe("checkout links (create_checkout_link)", () => {
  it("tells the verified total and that payments are not set up when Stripe is not configured", async () => {
    const r = await say(services, newUser(), "je veux acheter la bougie figue noire");
    expect(r.reply.text).toMatch(/^Le paiement en ligne n'est pas encore activé sur cette boutique\. Total vérifié : 24,90 € \(1 × Bougie parfumée Figue noire\)/);
    expect(r.reply.links).toEqual([]);
    expect(r.reply.buttons.map((b) => b.payload)).toContain("human");
  });

  it("creates a Stripe payment link for 'I want to buy 2 black fig candles' with the server's price", async () => {
    stripe.reset();
    stripe.install();
    const r = await say(paying, newUser(), "I want to buy 2 black fig candles");
    expect(r.reply.text).toContain("Verified total: €49.80 (2 × Bougie parfumée Figue noire). Your secure payment link is ready.");
    expect(r.reply.links).toEqual([{ title: "Pay €49.80", url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/), kind: "checkout" }]);
    expect(stripe.requests).toHaveLength(1);
    const form = stripe.requests[0]!.form;
    expect(form.get("line_items[0][price_data][unit_amount]")).toBe("2490");
    expect(form.get("line_items[0][quantity]")).toBe("2");
    expect(form.get("client_reference_id")).toBe(r.conversationId);
  });

  it("asks which one when 'je veux acheter une robe' matches several, with buy buttons that work", async () => {
    stripe.install();
    const user = newUser();
    const r = await say(paying, user, "je veux acheter une robe");
    expect(r.reply.text).toMatch(/^Lequel souhaitez-vous acheter/);
    const buy = buttonPayload(r, "buy:");
    const asked = await say(paying, user, "Acheter", { payload: buy });
    expect(asked.reply.text).toMatch(/quelle taille/); // dresses come in sizes
    const size = buttonPayload(asked, "option:");
    const pressed = await say(paying, user, "taille", { payload: size });
    expect(pressed.reply.links[0]?.kind).toBe("checkout");
    expect(pressed.reply.text).toMatch(/Total vérifié : \d+,\d\d €/);
  });

  it("buys the product just shown when the shopper says 'je le prends'", async () => {
    const user = newUser();
    await say(services, user, "Robe", { payload: "details:ml-robe-lin-sable" });
    const asked = await say(services, user, "je le prends");
    expect(asked.reply.text).toMatch(/quelle taille/); // the dress comes in sizes: asked first
    const r = await say(services, user, "38");
    expect(r.reply.text).toContain("Total vérifié : 89,00 € (1 × Robe en lin Sable");
  });

  it("refuses to prepare a payment for a sold-out product", async () => {
    const r = await say(services, newUser(), "Acheter", { payload: "buy:ml-robe-pull-marine" });
    expect(r.reply.text).toMatch(/Robe pull en maille Marine est épuisé pour le moment/);
    expect(r.reply.links).toEqual([]);
  });
});

describe("hand-off (handoff_to_human)", () => {
  it("hands a French conversation to a person: human mode, the owner notified once, then silence until released", async () => {
    const user = newUser();
    const r = await say(services, user, "je veux parler à un humain");
    expect(r.reply.handoff).toBe(true);
    expect(r.reply.text).toMatch(/Je transmets la conversation à un conseiller/);
    expect((await getConversation(services, r.conversationId))?.mode).toBe("needs_human");
    const notes = await rows(services, "select channel from app_notification where type = 'handoff' and dedup_key = $1", [`handoff:${r.conversationId}:1`]);
    expect(notes.length).toBeGreaterThanOrEqual(1);

    const silent = await say(services, user, "allo ? il y a quelqu'un ?");
    expect(silent.reply).toEqual({ text: "", products: [], buttons: [], links: [], handoff: true });
    expect(silent.provider).toBe("none");
    const stored = await rows(services, "select content from chat_message where conversation_id = $1 and role = 'user' order by id", [r.conversationId]);
    expect(stored.map((m) => m.content)).toContain("allo ? il y a quelqu'un ?");
    expect(await rows(services, "select 1 from app_notification where type = 'handoff' and dedup_key like $1", [`handoff:${r.conversationId}:%`])).toHaveLength(notes.length);

    expect(await releaseConversation(services, r.conversationId)).toMatchObject({ released: true });
    const back = await say(services, user, "merci");
    expect(back.reply.text).toMatch(/Avec plaisir/);
  });

  it("hands an English conversation over on 'talk to a human' and from the button", async () => {
    const r = await say(services, newUser(), "can I talk to a human please?");
    expect(r.reply.text).toMatch(/^I'm passing the conversation to someone from the shop/);
    expect(r.reply.handoff).toBe(true);
    const b = await say(services, newUser(), "Talk to a human", { payload: "human" });
    expect(b.reply.handoff).toBe(true);
  });
});

describe("knowledge base (search_knowledge) and fallback", () => {
  it("answers a French shipping question from the demo knowledge base", async () => {
    const r = await say(services, newUser(), "Quels sont les délais de livraison ?");
    expect(r.reply.text).toMatch(/^Délais de livraison :\n/);
    expect(r.reply.text).toContain("2 à 4 jours ouvrés");
  });

  it("answers an English returns question from the English passage", async () => {
    const r = await say(services, newUser(), "How do I return an item?");
    expect(r.reply.text).toMatch(/^Returns and refunds:\n/);
    expect(r.reply.text).toContain("30 days");
  });

  it("falls back to a helpful message with buttons when it does not understand", async () => {
    const r = await say(services, newUser(), "blablabla zorglub");
    expect(r.reply.text).toMatch(/^Je n'ai pas bien compris\. Je peux chercher un produit/);
    expect(r.reply.buttons.length).toBeGreaterThanOrEqual(3);
  });
});

describe("conversation memory", () => {
  it("answers a repeated message id with the stored reply and no second turn", async () => {
    const user = newUser();
    const first = await say(services, user, "une réduction ?", { messageId: "wamid.DUPLICATE0001" });
    const count = async () => (await rows(services, "select count(*)::int as n from chat_message where conversation_id = $1", [first.conversationId]))[0]!.n;
    const before = await count();
    const again = await say(services, user, "une réduction ?", { messageId: "wamid.DUPLICATE0001" });
    expect(again.duplicate).toBe(true);
    expect(again.reply).toEqual(first.reply);
    expect(await count()).toBe(before);
    expect(await rows(services, "select 1 from app_coupon_offer where conversation_id = $1", [first.conversationId])).toHaveLength(1);
  });

  it("keeps one conversation per channel user", async () => {
    const a = await say(services, "33612345678", "Bonjour", { channel: "whatsapp", userName: "Marie" });
    const b = await say(services, "33612345678", "Merci", { channel: "whatsapp" });
    const c = await say(services, "33612345678", "Bonjour", { channel: "messenger" });
    expect(b.conversationId).toBe(a.conversationId);
    expect(c.conversationId).not.toBe(a.conversationId);
    expect((await getConversation(services, a.conversationId))?.user_name).toBe("Marie");
  });

  it("costs two database round trips for a turn without tools, one more per catalogue search, one when silent", async () => {
    const user = newUser();
    await say(services, user, "Bonjour");
    let before = services.store.roundTrips;
    await say(services, user, "Merci beaucoup");
    expect(services.store.roundTrips - before).toBe(2);
    before = services.store.roundTrips;
    await say(services, user, "vous avez des robes ?");
    expect(services.store.roundTrips - before).toBe(3);
    const followUps: Promise<unknown>[] = [];
    await say(services, user, "un humain svp", { waitUntil: (p) => void followUps.push(p) });
    await Promise.allSettled(followUps); // the owner's notification and reply link, after the reply
    before = services.store.roundTrips;
    await say(services, user, "allo");
    expect(services.store.roundTrips - before).toBe(1);
  });
});
