/**
 * The owner and WhatsApp / Messenger shoppers, through signed webhooks and the Graph double:
 * a hand-off alerts ADMIN_PHONE (as the approved template outside the owner's own window); the
 * owner's reply goes as free text inside the shopper's 24 h window, as the approved template
 * outside it (WhatsApp), with the HUMAN_AGENT tag up to 7 days (Messenger), else 409; the owner
 * answers from the phone by quoting the alert or with "#12 …", gives back with "#12 bot",
 * closes with "#12 fin"; a stranger's "#12 …" is a shopper's message, never a command.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as waWebhook } from "../../api/whatsapp-webhook.js";
import { POST as msWebhook } from "../../api/messenger-webhook.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { setDbNow } from "../helpers/store.js";
import { useGraph, type GraphCall } from "../channels/graph-double.js";
import { META_ENV, msMessage, msPayload, signedPost, waMessages, waPayload, waText } from "../channels/meta-fixtures.js";
import { call, jsonOf, ownerWorld, rows, signIn, type OwnerWorld } from "./harness.js";

const server = useMsw();
const graph = useGraph(server);
const ADMIN = "33699887766";
let world: OwnerWorld;
let cookie: string;
let seq = 0;
const shopperPhone = () => `3361${String(5_000_000 + ++seq).padStart(7, "0")}`;

beforeAll(async () => {
  world = await ownerWorld({
    ...META_ENV,
    ADMIN_PHONE: "+33 6 99 88 77 66",
    WHATSAPP_OWNER_REPLY_TEMPLATE: "owner_reply",
    WHATSAPP_OWNER_ALERT_TEMPLATE: "handoff_alert",
  });
  cookie = await signIn(world);
});
afterAll(() => world.close());
beforeEach(() => {
  graph.reset();
  graph.install();
});
afterEach(() => setDbNow(world.services.store as PgliteStore, null));

const wa = async (from: string, message: Record<string, unknown>) => {
  const res = await waWebhook(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from, name: from === ADMIN ? "Marie" : "Léa" }, [message])])));
  expect(res.status).toBe(200);
};
const ms = async (psid: string, text: string) => {
  const res = await msWebhook(signedPost("/api/messenger-webhook", msPayload([msMessage(psid, { text })])));
  expect(res.status).toBe(200);
};
const to = (recipient: string) => graph.calls.filter((c) => c.body?.to === recipient || c.body?.recipient?.id === recipient);
const texts = (calls: GraphCall[]) => calls.map((c) => c.body?.text?.body ?? c.body?.message?.text ?? `[${c.body?.type}:${c.body?.template?.name}]`);
const conversationOf = async (channel: string, userKey: string) =>
  (await rows<{ id: string; ref: string; mode: string }>(world.services, "select id, ref::text, mode from chat_conversation where channel = $1 and user_key = $2", [channel, userKey]))[0]!;
const reply = (id: string, text: string) => call(`/api/admin/conversations/${id}/reply`, { cookie, body: { text } });

describe("a WhatsApp shopper", () => {
  it("hands off: the owner's phone gets the alert (as the template outside the owner's window), the shopper is silent-waited", async () => {
    const shopper = shopperPhone();
    await wa(shopper, waText("je veux parler à un humain"));
    const conv = await conversationOf("whatsapp", shopper);
    expect(conv.mode).toBe("needs_human");
    const alert = to(ADMIN);
    expect(alert).toHaveLength(1);
    expect(alert[0]!.body).toMatchObject({ type: "template", template: { name: "handoff_alert", components: [{ type: "body", parameters: [{ type: "text", text: `#${conv.ref}` }, { type: "text" }, { type: "text", text: "je veux parler à un humain" }] }] } });
    const list = await jsonOf(await call("/api/admin/conversations?status=needs_human", { cookie }));
    expect(list.conversations.find((c: { id: string }) => c.id === conv.id)).toMatchObject({ channel: "whatsapp", customer: { name: "Léa", phone: shopper } });
  });

  it("gets the owner's reply as free text inside 24 h, as the approved template after, and never a free text outside", async () => {
    const shopper = shopperPhone();
    const store = world.services.store as PgliteStore;
    await setDbNow(store, new Date(Date.now() - 3600_000));
    await wa(shopper, waText("je veux parler à un humain"));
    const conv = await conversationOf("whatsapp", shopper);
    await setDbNow(store, null);
    graph.reset();
    graph.install();

    const inside = await reply(conv.id, "Bonjour Léa, je regarde votre commande.");
    expect(inside.status).toBe(201);
    expect((await jsonOf(inside)).delivery).toBe("sent");
    expect(texts(to(shopper))).toEqual(["Marie, de la boutique, vous répond.", "Bonjour Léa, je regarde votre commande."]);
    expect(to(shopper)[1]!.body).toMatchObject({ messaging_product: "whatsapp", type: "text" });

    graph.reset();
    graph.install();
    await setDbNow(store, new Date(Date.now() + 24 * 3600_000));
    const outside = await reply(conv.id, "Votre colis est parti ce matin.");
    expect(outside.status).toBe(201);
    expect((await jsonOf(outside)).delivery).toBe("template");
    const sent = to(shopper);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ type: "template", template: { name: "owner_reply", components: [{ type: "body", parameters: [{ type: "text", text: "Votre colis est parti ce matin." }] }] } });
  });

  it("is answered from the owner's phone by quoting the alert, and by #ref; #ref bot gives back, #ref fin closes", async () => {
    const shopper = shopperPhone();
    await wa(ADMIN, waText("bonjour")); // opens the owner's own window: the next alert is free text
    expect(texts(to(ADMIN))[0]).toMatch(/^Pour répondre à un client/);
    graph.reset();
    graph.install();
    await wa(shopper, waText("je veux parler à quelqu'un"));
    const conv = await conversationOf("whatsapp", shopper);
    const alert = to(ADMIN);
    expect(alert).toHaveLength(1);
    expect(alert[0]!.body.type).toBe("text");
    expect(alert[0]!.body.text.body).toContain(`#${conv.ref}`);
    expect(alert[0]!.body.text.body).toMatch(/http:\/\/shop\.test\/admin\/#link=[A-Za-z0-9_-]{32}/);
    const alertId = (await rows<{ provider_message_id: string }>(world.services, "select provider_message_id from owner_alert where conversation_id = $1", [conv.id]))[0]!.provider_message_id;
    expect(alertId).toMatch(/^wamid\./);

    graph.reset();
    graph.install();
    await wa(ADMIN, { ...waText("Oui bien sûr, que cherchez-vous ?"), context: { from: "15550783881", id: alertId } });
    expect(texts(to(shopper))).toEqual(["Marie, de la boutique, vous répond.", "Oui bien sûr, que cherchez-vous ?"]);
    expect((await conversationOf("whatsapp", shopper)).mode).toBe("human");

    graph.reset();
    graph.install();
    await wa(ADMIN, waText(`#${conv.ref} La taille 38 est disponible.`));
    expect(texts(to(shopper))).toEqual(["La taille 38 est disponible."]);

    graph.reset();
    graph.install();
    await wa(ADMIN, waText(`#${conv.ref} bot`));
    expect((await conversationOf("whatsapp", shopper)).mode).toBe("bot");
    expect(texts(to(shopper))[0]).toMatch(/^Je reprends la main/);
    graph.reset();
    graph.install();
    await wa(shopper, waText("vous avez des bougies ?"));
    expect(to(shopper).length).toBeGreaterThan(0); // the assistant answers again

    await wa(ADMIN, waText(`#${conv.ref} fin`));
    expect((await conversationOf("whatsapp", shopper)).mode).toBe("closed");
    const view = await jsonOf(await call(`/api/admin/conversations/${conv.id}`, { cookie }));
    expect(view.messages.filter((m: { from: string }) => m.from === "owner").map((m: { text: string }) => m.text)).toEqual([
      "Oui bien sûr, que cherchez-vous ?",
      "La taille 38 est disponible.",
    ]);
  });

  it("answers anything else from the owner with a one-line help, and an unknown #ref with a hint", async () => {
    await wa(ADMIN, waText("tu peux me rappeler ?"));
    await wa(ADMIN, waText("#999999 coucou"));
    const lines = texts(to(ADMIN));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Pour répondre à un client : citez l'alerte, ou écrivez « #12 votre réponse »/);
    expect(lines[1]).toBe("Conversation #999999 introuvable. Citez l'alerte, ou écrivez « #12 votre réponse ».");
    expect(await rows(world.services, "select 1 from chat_conversation where channel = 'whatsapp' and user_key = $1", [ADMIN])).toEqual([]);
  });

  it("treats a stranger's '#12 …' as a shopper's message, never as the owner's command", async () => {
    const shopper = shopperPhone();
    await wa(shopper, waText("je veux parler à un humain"));
    const conv = await conversationOf("whatsapp", shopper);
    const stranger = shopperPhone();
    graph.reset();
    graph.install();
    await wa(stranger, waText(`#${conv.ref} bot`));
    await wa(stranger, waText(`#${conv.ref} Votre commande est annulée`));
    expect(to(shopper)).toEqual([]);
    expect((await conversationOf("whatsapp", shopper)).mode).toBe("needs_human");
    expect((await conversationOf("whatsapp", stranger)).mode).toBe("bot");
    expect(to(stranger).length).toBeGreaterThan(0); // the assistant answered the stranger
    const owner = await rows(world.services, "select 1 from chat_message where conversation_id = $1 and role = 'owner'", [conv.id]);
    expect(owner).toEqual([]);
  });
});

describe("a Messenger shopper", () => {
  it("gets the reply inside 24 h, with the HUMAN_AGENT tag up to 7 days, and a 409 after (nothing stored)", async () => {
    const psid = `2${String(7_000_000_000_000 + ++seq)}`;
    const store = world.services.store as PgliteStore;
    const t0 = Date.now();
    await setDbNow(store, new Date(t0));
    await ms(psid, "je veux parler à un humain");
    const conv = await conversationOf("messenger", psid);
    expect(conv.mode).toBe("needs_human");
    graph.reset();
    graph.install();

    expect((await jsonOf(await reply(conv.id, "Bonjour !"))).delivery).toBe("sent");
    expect(to(psid).map((c) => c.body.messaging_type)).toEqual(["RESPONSE", "RESPONSE"]);

    graph.reset();
    graph.install();
    await setDbNow(store, new Date(t0 + 3 * 24 * 3600_000));
    const tagged = await reply(conv.id, "Je reviens vers vous : c'est en stock.");
    expect(tagged.status).toBe(201);
    expect((await jsonOf(tagged)).delivery).toBe("sent");
    expect(to(psid)).toHaveLength(1);
    expect(to(psid)[0]!.body).toMatchObject({ messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT", message: { text: "Je reviens vers vous : c'est en stock." } });

    graph.reset();
    graph.install();
    await setDbNow(store, new Date(t0 + 8 * 24 * 3600_000));
    const closed = await reply(conv.id, "Toujours là ?");
    expect(closed.status).toBe(409);
    expect((await jsonOf(closed)).error.code).toBe("window_closed");
    expect(to(psid)).toEqual([]);
    const owner = await rows<{ content: string }>(world.services, "select content from chat_message where conversation_id = $1 and role = 'owner' order by id", [conv.id]);
    expect(owner.map((m) => m.content)).toEqual(["Bonjour !", "Je reviens vers vous : c'est en stock."]);
  });
});
