/**
 * Outbound messages on the wire (Graph double): each reply kind as WhatsApp and Messenger
 * expect it, the platform limits, the 24-hour window (template or recorded undeliverable, never
 * a free-form attempt), Meta's error codes, 5xx/429 retries and the cron retry step.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/whatsapp-webhook.js";
import type { Reply, ReplyProduct } from "../../lib/assistant/types.js";
import { deliverReply, sendToUser } from "../../lib/channels/outbound.js";
import { retryChannelWork } from "../../lib/channels/retry.js";
import { outboundList, type StoredOutbound } from "../../lib/channels/store.js";
import { whatsappRecipient } from "../../lib/integrations/meta/index.js";
import { notificationList } from "../../lib/notifications/store.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";
import { graphError, useGraph } from "./graph-double.js";
import { META_ENV, msMessage, msPayload, signedPost, waMessages, waPayload, waText, wamid } from "./meta-fixtures.js";

const server = useMsw();
const graph = useGraph(server);
let services: Services;
let store: PgliteStore;
let env: Record<string, string>;
let seq = 0;
const phone = () => `3362${String(3_000_000 + ++seq).padStart(7, "0")}`;
const psid = () => `27${String(1_000_000 + ++seq).padStart(14, "0")}`;

beforeAll(async () => {
  env = { ...META_ENV, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) };
  services = await createTestServices(env);
  store = services.store as PgliteStore;
});
afterAll(() => store.close());
beforeEach(async () => {
  graph.reset();
  graph.install();
  await setDbNow(store, null);
});

const reply = (r: Partial<Reply>): Reply => ({ text: "", products: [], buttons: [], links: [], handoff: false, ...r });
const product = (p: Partial<ReplyProduct> = {}): ReplyProduct => ({
  id: "ml-bougie-figue-noire",
  name: "Bougie parfumée Figue noire",
  price: "24.90",
  originalPrice: null,
  currency: "EUR",
  imageUrl: "https://cdn.shop.test/bougie-figue-noire.png",
  url: "https://shop.test/produit/bougie-figue-noire",
  inStock: true,
  ...p,
});
const buttons = (n: number, title = (i: number) => `Choix numéro ${i} avec un long titre`) =>
  Array.from({ length: n }, (_, i) => ({ title: title(i + 1), payload: `choice:${i + 1}` }));

/** A WhatsApp user whose window opened when this message arrived (through the webhook). */
async function waUser(at?: Date): Promise<string> {
  const from = phone();
  // "merci" is answered (then its sends are forgotten): what matters is the window it opens.
  const text = waPayload([waMessages({ wa_id: from }, [{ ...waText("merci"), ...(at ? { timestamp: String(Math.floor(at.getTime() / 1000)) } : {}) }])]);
  expect((await POST(signedPost("/api/whatsapp-webhook", text))).status).toBe(200);
  graph.reset();
  graph.install();
  return from;
}

async function msUser(): Promise<string> {
  const id = psid();
  const { POST: msPost } = await import("../../api/messenger-webhook.js");
  expect((await msPost(signedPost("/api/messenger-webhook", msPayload([msMessage(id, { text: "merci" })])))).status).toBe(200);
  graph.reset();
  graph.install();
  return id;
}

const rows = (channel: "whatsapp" | "messenger", sourceKey: string) => outboundList(store, channel, { sourceKey });
const send = (userId: string, r: Reply, channel: "whatsapp" | "messenger" = "whatsapp", sourceKey = `test:${++seq}`) =>
  deliverReply(services, { channel, userId, sourceKey, reply: r }).then((report) => ({ report, sourceKey }));

describe("WhatsApp bodies", () => {
  it("splits a 5000-character text into messages of at most 4096 characters, at a sentence boundary", async () => {
    const to = await waUser();
    const sentence = "Nos bougies sont coulées à la main dans notre atelier de Lyon. ";
    const text = sentence.repeat(Math.ceil(5000 / sentence.length)).trim();
    expect(text.length).toBeGreaterThanOrEqual(5000);
    const { report } = await send(to, reply({ text }));
    expect(report).toMatchObject({ parts: 2, sent: 2 });
    const bodies = graph.calls.map((c) => c.body.text.body as string);
    expect(bodies).toHaveLength(2);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(4096);
    expect(bodies[0]!.endsWith("Lyon.")).toBe(true);
    expect(bodies.join(" ")).toBe(text);
  });

  it("sends up to three choices as reply buttons: titles clipped to 20 characters, unique, ids = payloads", async () => {
    const to = await waUser();
    await send(to, reply({ text: "Quelle taille ?", buttons: buttons(3, () => "Taille unique très confortable") }));
    expect(graph.calls).toHaveLength(1);
    const body = graph.calls[0]!.body;
    expect(body).toMatchObject({ type: "interactive", to, interactive: { type: "button", body: { text: "Quelle taille ?" } } });
    const sent = body.interactive.action.buttons as { type: string; reply: { id: string; title: string } }[];
    expect(sent.map((b) => b.reply.id)).toEqual(["choice:1", "choice:2", "choice:3"]);
    for (const b of sent) expect(b.reply.title.length).toBeLessThanOrEqual(20);
    expect(new Set(sent.map((b) => b.reply.title)).size).toBe(3);
    expect(sent.map((b) => b.reply.title)).toEqual(["Taille unique très…", "Taille unique trè… 2", "Taille unique trè… 3"]);
  });

  it.each([
    [4, 4],
    [12, 10],
  ])("sends %i choices as a list of %i rows (row titles ≤ 24, the whole title in the description ≤ 72)", async (n, rowsExpected) => {
    const to = await waUser();
    await send(to, reply({ text: "Que souhaitez-vous ?", buttons: buttons(n) }));
    const body = graph.calls[0]!.body;
    expect(body.interactive.type).toBe("list");
    expect(body.interactive.action.button.length).toBeLessThanOrEqual(20);
    const rowsSent = body.interactive.action.sections[0].rows as { id: string; title: string; description?: string }[];
    expect(rowsSent).toHaveLength(rowsExpected);
    for (const r of rowsSent) {
      expect(r.title.length).toBeLessThanOrEqual(24);
      expect(r.description!.length).toBeLessThanOrEqual(72);
    }
    expect(rowsSent[0]).toMatchObject({ id: "choice:1", description: "Choix numéro 1 avec un long titre" });
  });

  it("sends product cards as an image with a caption (name, price, link), or as text when the image is not a PNG/JPEG", async () => {
    const to = await waUser();
    await send(
      to,
      reply({
        text: "Voici nos bougies :",
        products: [product({ originalPrice: "29.90" }), product({ id: "p2", name: "Coffret", imageUrl: "/demo/coffret.svg", url: "/produit/coffret", inStock: false })],
        buttons: [{ title: "Acheter", payload: "buy:ml-bougie-figue-noire" }],
      }),
    );
    const [text, card, svgCard, choice] = graph.calls.map((c) => c.body);
    expect(text).toMatchObject({ type: "text", text: { body: "Voici nos bougies :" } });
    expect(card).toMatchObject({ type: "image", image: { link: "https://cdn.shop.test/bougie-figue-noire.png" } });
    expect(card.image.caption).toBe("*Bougie parfumée Figue noire*\n24,90 € (au lieu de 29,90 €)\nhttps://shop.test/produit/bougie-figue-noire");
    expect(svgCard).toMatchObject({ type: "text", text: { preview_url: true } });
    expect(svgCard.text.body).toBe("*Coffret*\n24,90 €\nÉpuisé pour le moment\nhttp://shop.test/produit/coffret");
    expect(choice).toMatchObject({ type: "interactive", interactive: { type: "button", body: { text: "Que souhaitez-vous faire ?" } } });
  });

  it("sends a checkout link as text with the URL (and a link preview)", async () => {
    const to = await waUser();
    await send(to, reply({ text: "Voici votre lien de paiement.", links: [{ title: "Payer", url: "https://checkout.stripe.com/c/pay/cs_test_a1", kind: "checkout" }] }));
    expect(graph.calls[0]!.body).toMatchObject({
      type: "text",
      text: { body: "Voici votre lien de paiement.\n\nPayer : https://checkout.stripe.com/c/pay/cs_test_a1", preview_url: true },
    });
  });

  it.each([
    ["33612345678", null, { to: "33612345678" }],
    ["US.13491208655302741918", "+33 6 12-34-56-78", { to: "33612345678" }],
    ["+33 6 12 34 56 78", null, { to: "33612345678" }],
    ["US.13491208655302741918", null, { recipient: "US.13491208655302741918" }],
  ])("addresses user %s (phone %s) as %o", (userId, phoneNumber, expected) => {
    expect(whatsappRecipient(userId, phoneNumber)).toEqual(expected);
  });
});

describe("Messenger bodies", () => {
  it("sends text (split at 2000), a generic template for products, and quick replies (≤ 13, titles ≤ 20) as RESPONSE with the page token", async () => {
    const to = await msUser();
    const text = "Bien sûr ! ".repeat(250).trim();
    await send(to, reply({ text, products: [product(), product({ id: "p2", name: "Un nom de produit vraiment très long ".repeat(4), imageUrl: null })], buttons: buttons(15) }), "messenger");
    const calls = graph.messenger();
    for (const c of calls) {
      expect(c.version).toBe("v26.0");
      expect(c.query.get("access_token")).toBe("EAAG-page-token");
      expect(c.body).toMatchObject({ recipient: { id: to }, messaging_type: "RESPONSE" });
    }
    const texts = calls.filter((c) => typeof c.body.message.text === "string" && !c.body.message.quick_replies).map((c) => c.body.message.text as string);
    expect(texts.length).toBe(2);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    const generic = calls.find((c) => c.body.message.attachment)!.body.message.attachment;
    expect(generic).toMatchObject({ type: "template", payload: { template_type: "generic" } });
    const [first, second] = generic.payload.elements;
    expect(first).toMatchObject({
      title: "Bougie parfumée Figue noire",
      subtitle: "24,90 €",
      image_url: "https://cdn.shop.test/bougie-figue-noire.png",
      buttons: [{ type: "web_url", url: "https://shop.test/produit/bougie-figue-noire", title: "Voir le produit" }],
    });
    expect(second.title.length).toBeLessThanOrEqual(80);
    expect(second.image_url).toBeUndefined();
    const last = calls[calls.length - 1]!.body.message;
    expect(last.text).toBe("Que souhaitez-vous faire ?");
    expect(last.quick_replies).toHaveLength(13);
    for (const q of last.quick_replies) {
      expect(q.content_type).toBe("text");
      expect(q.title.length).toBeLessThanOrEqual(20);
    }
    expect(new Set(last.quick_replies.map((q: { title: string }) => q.title)).size).toBe(13);
  });

  it("puts quick replies on the text itself when there are no products", async () => {
    const to = await msUser();
    await send(to, reply({ text: "Une question ?", buttons: buttons(2) }), "messenger");
    expect(graph.messenger()).toHaveLength(1);
    expect(graph.messenger()[0]!.body.message).toMatchObject({ text: "Une question ?", quick_replies: [{ payload: "choice:1" }, { payload: "choice:2" }] });
  });

  it("sends messages the shop starts as UPDATE", async () => {
    const to = await msUser();
    await sendToUser(services, { channel: "messenger", userId: to, reply: reply({ text: "Votre commande est partie." }) });
    expect(graph.messenger()[0]!.body).toMatchObject({ messaging_type: "UPDATE", message: { text: "Votre commande est partie." } });
  });
});

describe("the 24-hour window", () => {
  const T0 = new Date("2026-11-25T09:00:00Z");
  const later = new Date(T0.getTime() + 25 * 3600 * 1000);

  it("is open 23 hours after the user's message and closed after 24", async () => {
    await setDbNow(store, T0);
    const to = await waUser(T0);
    await setDbNow(store, new Date(T0.getTime() + 23 * 3600 * 1000));
    expect((await sendToUser(services, { channel: "whatsapp", userId: to, reply: reply({ text: "Toujours là ?" }) })).sent).toBe(1);
    await setDbNow(store, later);
    expect((await sendToUser(services, { channel: "whatsapp", userId: to, reply: reply({ text: "Toujours là ?" }) })).undeliverable).toBe(1);
    expect(graph.calls).toHaveLength(1);
  });

  it("closed and no template configured: nothing is sent, each part is recorded undeliverable with the reason", async () => {
    await setDbNow(store, T0);
    const to = await waUser(T0);
    await setDbNow(store, later);
    const { report, sourceKey } = await send(to, reply({ text: "Votre colis est arrivé.", buttons: buttons(2) }));
    expect(report).toMatchObject({ parts: 1, sent: 0, undeliverable: 1 });
    expect(graph.calls).toHaveLength(0);
    const [row] = await rows("whatsapp", sourceKey);
    expect(row).toMatchObject({ status: "undeliverable", attempts: 1 });
    expect(row!.last_error).toMatch(/24-hour customer service window .*WHATSAPP_TEMPLATE_NAME/);
  });

  it("closed with an approved template: the template goes out instead (the reply as its one parameter), no free-form message", async () => {
    const withTemplate = await createTestServices({ ...env, WHATSAPP_TEMPLATE_NAME: "conversation_follow_up", WHATSAPP_TEMPLATE_LANGUAGE: "fr" }, store);
    try {
      await setDbNow(store, T0);
      const to = await waUser(T0);
      await setDbNow(store, later);
      const text = "Votre commande A-1042 est prête.\nÀ bientôt !";
      const sourceKey = `test:${++seq}`;
      const report = await deliverReply(withTemplate, { channel: "whatsapp", userId: to, sourceKey, reply: reply({ text: `${text} ${"Détails. ".repeat(500)}`, buttons: buttons(2) }) });
      // 4.5k characters: a text part, then the buttons carrying the last part as their body.
      expect(report).toMatchObject({ parts: 2, sent: 1, undeliverable: 1 });
      expect(graph.calls).toHaveLength(1);
      const body = graph.calls[0]!.body;
      expect(body).toMatchObject({ to, type: "template", template: { name: "conversation_follow_up", language: { code: "fr" } } });
      const param = body.template.components[0].parameters[0];
      expect(param.type).toBe("text");
      expect(param.text.startsWith("Votre commande A-1042 est prête. À bientôt !")).toBe(true);
      expect(param.text).not.toMatch(/[\n\t]/);
      expect(param.text.length).toBeLessThanOrEqual(1000);
      const stored = await rows("whatsapp", sourceKey);
      expect(stored.map((r) => [r.kind, r.status, r.sent_as])).toEqual([["text", "sent", "template"], ["buttons", "undeliverable", null]]);
      expect(stored[1]!.last_error).toMatch(/only the first part goes out, as the approved template/);
    } finally {
      services = await createTestServices(env, store);
    }
  });

  it("Meta's 131047 (window closed) at send time falls back to the template", async () => {
    const withTemplate = await createTestServices({ ...env, WHATSAPP_TEMPLATE_NAME: "conversation_follow_up" }, store);
    try {
      const to = await waUser();
      graph.answer(graphError(400, 131047, "Re-engagement message", { error_data: { details: "Message failed to send because more than 24 hours have passed" } }));
      const sourceKey = `test:${++seq}`;
      await deliverReply(withTemplate, { channel: "whatsapp", userId: to, sourceKey, reply: reply({ text: "Bonjour !" }) });
      expect(graph.calls.map((c) => c.body.type)).toEqual(["text", "template"]);
      expect((await rows("whatsapp", sourceKey))[0]).toMatchObject({ status: "sent", sent_as: "template" });
    } finally {
      services = await createTestServices(env, store);
    }
  });

  it("Meta's 131047 without a template is recorded undeliverable, not retried", async () => {
    const to = await waUser();
    graph.answer(graphError(400, 131047, "Re-engagement message"));
    const { sourceKey } = await send(to, reply({ text: "Bonjour !" }));
    expect((await rows("whatsapp", sourceKey))[0]).toMatchObject({ status: "undeliverable", error_code: "131047", retryable: false });
    expect(graph.calls).toHaveLength(1);
  });

  it("on Messenger, closed: nothing is sent, recorded undeliverable", async () => {
    await setDbNow(store, new Date());
    const to = await msUser();
    await setDbNow(store, new Date(Date.now() + 25 * 3600 * 1000));
    const { report, sourceKey } = await send(to, reply({ text: "Toujours intéressé ?" }), "messenger");
    expect(report.undeliverable).toBe(1);
    expect(graph.calls).toHaveLength(0);
    expect((await rows("messenger", sourceKey))[0]!.last_error).toMatch(/Messenger's 24-hour standard messaging window/);
  });
});

describe("Graph failures", () => {
  it("a 5xx is retried inline, then recorded; the webhook still answered 200; the cron step sends it later", async () => {
    const from = phone();
    const id = wamid();
    graph.always(HttpResponse.json({ error: { message: "Service temporarily unavailable", code: 2, type: "OAuthException" } }, { status: 503 }));
    const res = await POST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])])));
    expect(res.status).toBe(200);
    expect(graph.calls).toHaveLength(3); // 1 + HTTP_RETRY_ATTEMPTS
    let [row] = await rows("whatsapp", id);
    expect(row).toMatchObject({ status: "failed", retryable: true, attempts: 1 });
    expect(row!.last_error).toMatch(/503|unavailable/i);

    // Not due yet: the cron step leaves it alone.
    graph.always(null);
    expect(await retryChannelWork(services)).toMatchObject({ outbound_retried: 0 });
    await setDbNow(store, new Date(Date.now() + 10 * 60 * 1000));
    expect(await retryChannelWork(services)).toMatchObject({ outbound_retried: 1, outbound_sent: 1 });
    [row] = await rows("whatsapp", id);
    expect(row).toMatchObject({ status: "sent", attempts: 2, last_error: null });
    expect(graph.calls).toHaveLength(4);
    expect(graph.calls[3]!.body).toEqual(graph.calls[0]!.body);
  });

  it("a 429 with Retry-After is retried inline and sent", async () => {
    const to = await waUser();
    graph.answer(graphError(429, 130429, "Rate limit hit", {}, { "retry-after": "0" }));
    const { report, sourceKey } = await send(to, reply({ text: "Bonjour !" }));
    expect(report.sent).toBe(1);
    expect(graph.calls).toHaveLength(2);
    expect((await rows("whatsapp", sourceKey))[0]).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("throttling (130429 / 131056) is retried later, and the parts after it wait so the order is kept", async () => {
    const to = await waUser();
    graph.answer(graphError(400, 131056, "(Business Account, Consumer Account) pair rate limit hit"));
    const text = "Première partie. ".repeat(300).trim();
    const { report, sourceKey } = await send(to, reply({ text }));
    expect(report).toMatchObject({ parts: 2, sent: 0, pending: 2 });
    expect(graph.calls).toHaveLength(1);
    let stored = await rows("whatsapp", sourceKey);
    expect(stored.map((r) => [r.status, r.retryable, r.error_code])).toEqual([["failed", true, "131056"], ["pending", true, null]]);
    expect(stored[1]!.attempts).toBe(0);

    await setDbNow(store, new Date(Date.now() + 2 * 3600 * 1000));
    await retryChannelWork(services);
    stored = await rows("whatsapp", sourceKey);
    expect(stored.map((r) => r.status)).toEqual(["sent", "sent"]);
    expect(graph.calls.map((c) => c.body.text.body.slice(0, 10))).toEqual(["Première p", "Première p", "Première p"]);
    expect(graph.calls[1]!.body).toEqual(graph.calls[0]!.body);
  });

  it.each<[string, () => Response, Partial<StoredOutbound>]>([
    ["131026 (undeliverable)", () => graphError(400, 131026, "Message undeliverable"), { status: "undeliverable", error_code: "131026" }],
    ["100 (invalid parameter)", () => graphError(400, 100, "Invalid parameter", { error_subcode: 2494010 }), { status: "failed", error_code: "100", retryable: false }],
    ["190 (token expired)", () => graphError(401, 190, "Error validating access token: Session has expired"), { status: "failed", error_code: "190", retryable: false }],
  ])("gives up on %s: recorded, not retried", async (_name, answer, expected) => {
    const to = await waUser();
    graph.answer(answer());
    const { sourceKey } = await send(to, reply({ text: "Bonjour !" }));
    expect(graph.calls).toHaveLength(1);
    expect((await rows("whatsapp", sourceKey))[0]).toMatchObject(expected);
    await setDbNow(store, new Date(Date.now() + 24 * 3600 * 1000));
    await retryChannelWork(services);
    expect(graph.calls).toHaveLength(1);
  });

  it("tells the owner by email, once, when Meta refuses the token (190)", async () => {
    const to = await waUser();
    graph.always(graphError(401, 190, "Error validating access token"));
    await send(to, reply({ text: "Un" }));
    await send(to, reply({ text: "Deux" }));
    const alerts = await notificationList(store, "channel-token:whatsapp");
    expect(alerts.filter((a) => a.status === "sent")).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ channel: "email", type: "channel_error" });
  });

  it("131062 (BSUID not allowed) without a known phone number is recorded undeliverable", async () => {
    const bsuid = `FR.15025763946558${++seq}`;
    await POST(signedPost("/api/whatsapp-webhook", waPayload([{ contacts: [{ profile: { name: "Anon" }, user_id: bsuid }], messages: [{ ...waText("merci"), timestamp: String(Math.floor(Date.now() / 1000)) }] }])));
    graph.reset();
    graph.install();
    graph.answer(graphError(400, 131062, "Business-scoped User ID (BSUID) recipients are not supported for this message type"));
    const { sourceKey } = await send(bsuid, reply({ text: "Bonjour !" }));
    expect(graph.calls[0]!.body.recipient).toBe(bsuid);
    const [row] = await rows("whatsapp", sourceKey);
    expect(row).toMatchObject({ status: "undeliverable", error_code: "131062" });
    expect(row!.last_error).toMatch(/no phone number is known/);
  });

  it("a part still failing after the last attempt is recorded as given up", async () => {
    const to = await waUser();
    graph.always(graphError(503, 2, "Service temporarily unavailable"));
    const { sourceKey } = await send(to, reply({ text: "Bonjour !" }));
    for (let h = 1; h <= 4; h++) {
      await setDbNow(store, new Date(Date.now() + h * 3 * 3600 * 1000));
      await retryChannelWork(services, { maxAttempts: 3 });
    }
    const [row] = await rows("whatsapp", sourceKey);
    expect(row).toMatchObject({ status: "failed", retryable: false, attempts: 3 });
    expect(row!.last_error).toMatch(/gave up after 3 attempts/);
    expect(graph.calls).toHaveLength(3 * 3);
  });
});

describe("a channel that is not configured", () => {
  it("stores its outbound messages as not_configured and sends nothing", async () => {
    const bare = await createTestServices({ META_APP_SECRET: "meta-app-secret-for-tests", LOG_LEVEL: "silent" }, store);
    try {
      const from = phone();
      const id = wamid();
      const res = await POST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])])));
      expect(res.status).toBe(200);
      expect(graph.calls).toHaveLength(0);
      const stored = await rows("whatsapp", id);
      expect(stored).toEqual([expect.objectContaining({ status: "not_configured", attempts: 0, kind: "list" })]);
      await setDbNow(store, new Date(Date.now() + 3600 * 1000));
      await retryChannelWork(bare);
      expect(graph.calls).toHaveLength(0);
    } finally {
      services = await createTestServices(env, store);
    }
  });
});
