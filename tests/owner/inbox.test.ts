/**
 * The inbox at its HTTP edge: a web shopper's hand-off shows up under "to answer" with its wait,
 * the owner reads the transcript, replies (the widget's poll shows it; by email when the shopper
 * left and gave an address), gives it back (the assistant answers the next message) or closes it;
 * notes, quick replies, leads (search, CSV) and orders; round trips before each response.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, jsonOf, outboxMails, ownerWorld, rows, shopperSays, signIn, handedOff, type OwnerWorld } from "./harness.js";

let world: OwnerWorld;
let cookie: string;
beforeAll(async () => {
  world = await ownerWorld();
  cookie = await signIn(world);
});
afterAll(() => world.close());

const get = async (path: string) => {
  const res = await call(path, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return jsonOf(res);
};
const post = (path: string, body?: unknown) => call(path, { method: "POST", cookie, ...(body !== undefined ? { body } : {}) });
const poll = async (sessionId: string, after?: string) => {
  const res = await call(`/api/chat?sessionId=${sessionId}${after ? `&after=${after}` : ""}`);
  return { status: res.status, body: await jsonOf(res) };
};

/** Counts the store's round trips of one call, deferred work (waitUntil) left out. */
async function roundTrips(fn: (platform: { waitUntil(p: Promise<unknown>): void }) => Promise<Response>): Promise<{ trips: number; res: Response }> {
  const deferred: Promise<unknown>[] = [];
  const before = world.services.store.roundTrips;
  const res = await fn({ waitUntil: (p) => void deferred.push(p) });
  const trips = world.services.store.roundTrips - before;
  await Promise.allSettled(deferred);
  return { trips, res };
}

describe("a web shopper handed off to the owner", () => {
  it("is listed under needs_human, longest waiting first, with the wait and the last message", async () => {
    const a = await handedOff(world.services);
    const b = await handedOff(world.services, "je veux parler à quelqu'un de la boutique");
    const list = await get("/api/admin/conversations?status=needs_human");
    const ids = list.conversations.map((c: { id: string }) => c.id);
    expect(ids.indexOf(a.conversationId)).toBeLessThan(ids.indexOf(b.conversationId));
    const item = list.conversations.find((c: { id: string }) => c.id === a.conversationId);
    expect(item).toMatchObject({ channel: "web", status: "needs_human", lastMessage: { from: "assistant" }, customer: { name: null, email: null, phone: null } });
    expect(Date.parse(item.waitingSince)).toBeGreaterThan(Date.now() - 60_000);
    expect(typeof item.ref).toBe("number");
    expect(list.counts.needs_human).toBeGreaterThanOrEqual(2);
    const bots = await get("/api/admin/conversations?status=bot");
    expect(bots.conversations.map((c: { id: string }) => c.id)).not.toContain(a.conversationId);
  });

  it("shows the whole transcript, with products and links as the shopper saw them", async () => {
    const first = await shopperSays(null, "je cherche une bougie");
    const r = await shopperSays(first.sessionId, "un humain svp");
    expect(r.handoff).toBe(true);
    const [conv] = await rows<{ id: string }>(world.services, "select id from chat_conversation where user_key = $1", [first.sessionId]);
    const view = await get(`/api/admin/conversations/${conv!.id}`);
    expect(view.conversation).toMatchObject({ id: conv!.id, channel: "web", status: "needs_human", note: null });
    expect(view.messages.map((m: { from: string }) => m.from)).toEqual(["shopper", "assistant", "shopper", "assistant"]);
    expect(view.messages[0]).toMatchObject({ text: "je cherche une bougie", products: [], links: [] });
    expect(view.messages[1].products.length).toBeGreaterThan(0);
    expect(view.messages[1].products[0]).toHaveProperty("name");
    for (const m of view.messages) expect(Object.keys(m)).toEqual(expect.arrayContaining(["id", "from", "text", "at", "products", "links"]));
  });

  it("gets the owner's reply in the widget, with the 'Marie is answering' line, and the assistant stays silent", async () => {
    const { sessionId, conversationId } = await handedOff(world.services);
    const before = await poll(sessionId);
    expect(before.status).toBe(200);
    expect(before.body.status).toBe("needs_human");

    const res = await post(`/api/admin/conversations/${conversationId}/reply`, { text: "Bonjour, je suis là ! Que puis-je faire pour vous ?" });
    expect(res.status).toBe(201);
    const body = await jsonOf(res);
    expect(body.delivery).toBe("stored");
    expect(body.message).toMatchObject({ from: "owner", text: "Bonjour, je suis là ! Que puis-je faire pour vous ?" });

    const after = await poll(sessionId, before.body.cursor);
    expect(after.body.status).toBe("human");
    expect(after.body.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toEqual([
      ["system", "Marie, de la boutique, vous répond."],
      ["owner", "Bonjour, je suis là ! Que puis-je faire pour vous ?"],
    ]);
    expect(Number(after.body.cursor)).toBeGreaterThan(Number(before.body.cursor));
    expect((await poll(sessionId, after.body.cursor)).body.messages).toEqual([]);

    const silent = await shopperSays(sessionId, "Je cherche un cadeau pour ma mère");
    expect(silent.reply.text).toBe("");
    expect(silent.handoff).toBe(true);
    const second = await post(`/api/admin/conversations/${conversationId}/reply`, { text: "Une bougie Figue noire ?" });
    expect((await jsonOf(second)).message.text).toBe("Une bougie Figue noire ?");
    const lines = (await poll(sessionId, after.body.cursor)).body.messages.map((m: { from: string }) => m.from);
    expect(lines).toEqual(["shopper", "owner"]); // the "is answering" line only once
  });

  it("emails the reply when the web shopper left and gave an address, and stores it for the widget too", async () => {
    const first = await shopperSays(null, "Bonjour");
    await shopperSays(first.sessionId, "mon email est lea.martin@example.fr");
    const r = await shopperSays(first.sessionId, "je voudrais parler à un humain");
    expect(r.handoff).toBe(true);
    const [conv] = await rows<{ id: string }>(world.services, "select id from chat_conversation where user_key = $1", [first.sessionId]);
    await world.services.store.rpc("chat_poll", { p_user_key: first.sessionId });
    // Still there: stored only.
    expect((await jsonOf(await post(`/api/admin/conversations/${conv!.id}/reply`, { text: "Je regarde." }))).delivery).toBe("stored");
    // Gone for more than a minute: stored and emailed.
    await rows(world.services, "update chat_conversation set web_seen_at = web_seen_at - interval '5 minutes' where id = $1", [conv!.id]);
    const res = await post(`/api/admin/conversations/${conv!.id}/reply`, { text: "La robe existe en 38, je vous la garde." });
    expect((await jsonOf(res)).delivery).toBe("email");
    const mail = (await outboxMails(world.outbox)).find((m) => m.to.includes("lea.martin@example.fr"));
    expect(mail?.text).toContain("La robe existe en 38, je vous la garde.");
    expect((await poll(first.sessionId)).body.messages.at(-1)).toMatchObject({ from: "owner", text: "La robe existe en 38, je vous la garde." });
  });

  it("goes back to the assistant on release: the shopper reads 'I'm back' and the next message is answered", async () => {
    const { sessionId, conversationId } = await handedOff(world.services);
    await post(`/api/admin/conversations/${conversationId}/reply`, { text: "C'est noté." });
    const cursor = (await poll(sessionId)).body.cursor;
    const res = await post(`/api/admin/conversations/${conversationId}/release`);
    expect(res.status).toBe(200);
    expect((await jsonOf(res))).toMatchObject({ changed: true, conversation: { id: conversationId, status: "bot" } });
    const back = await poll(sessionId, cursor);
    expect(back.body).toMatchObject({ status: "bot", messages: [{ from: "system", text: expect.stringContaining("Je reprends la main") }] });

    const answered = await shopperSays(sessionId, "vous avez des bougies parfumées ?");
    expect(answered.reply.text).not.toBe("");
    expect(answered.handoff).toBe(false);
    const again = await post(`/api/admin/conversations/${conversationId}/release`);
    expect(again.status).toBe(200);
    expect((await jsonOf(again)).changed).toBe(false);
  });

  it("can be closed; a later shopper message opens it again with the assistant", async () => {
    const { sessionId, conversationId } = await handedOff(world.services);
    const res = await post(`/api/admin/conversations/${conversationId}/close`);
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).conversation.status).toBe("closed");
    expect((await get("/api/admin/conversations?status=closed")).conversations.map((c: { id: string }) => c.id)).toContain(conversationId);
    expect((await get("/api/admin/conversations")).conversations.map((c: { id: string }) => c.id)).not.toContain(conversationId);
    const later = await shopperSays(sessionId, "Bonjour, c'est encore moi : vous livrez en Belgique ?");
    expect(later.reply.text).not.toBe("");
    expect((await poll(sessionId)).body.status).toBe("bot");
  });

  it("keeps a private note the shopper never sees", async () => {
    const { sessionId, conversationId } = await handedOff(world.services);
    const res = await post(`/api/admin/conversations/${conversationId}/note`, { note: "Cliente fidèle, mariage en juin" });
    expect(await jsonOf(res)).toEqual({ note: "Cliente fidèle, mariage en juin" });
    expect((await get(`/api/admin/conversations/${conversationId}`)).conversation.note).toBe("Cliente fidèle, mariage en juin");
    expect(JSON.stringify((await poll(sessionId)).body)).not.toContain("mariage en juin");
  });

  it("finds conversations by name, email, #reference and message text", async () => {
    const first = await shopperSays(null, "Bonjour, je suis Hortense et je cherche un plaid écru");
    await shopperSays(first.sessionId, "hortense.dupuis@example.fr");
    const [conv] = await rows<{ id: string; ref: string }>(world.services, "select id, ref from chat_conversation where user_key = $1", [first.sessionId]);
    for (const q of ["plaid écru", "HORTENSE.DUPUIS", `#${conv!.ref}`]) {
      const found = await get(`/api/admin/conversations?q=${encodeURIComponent(q)}`);
      expect(found.conversations.map((c: { id: string }) => c.id), q).toEqual([conv!.id]);
    }
    expect((await get(`/api/admin/conversations?q=${encodeURIComponent("100%_")}`)).conversations).toEqual([]);
  });
});

describe("answers in few round trips", () => {
  it("costs 1 round trip for the list, 1 for a conversation, at most 2 for a reply", async () => {
    const { conversationId } = await handedOff(world.services);
    const list = await roundTrips((platform) => call("/api/admin/conversations?status=needs_human", { cookie, platform }));
    expect(list.res.status).toBe(200);
    expect(list.trips).toBe(1);
    const view = await roundTrips((platform) => call(`/api/admin/conversations/${conversationId}`, { cookie, platform }));
    expect(view.res.status).toBe(200);
    expect(view.trips).toBe(1);
    const reply = await roundTrips((platform) => call(`/api/admin/conversations/${conversationId}/reply`, { cookie, platform, body: { text: "Je m'en occupe." } }));
    expect(reply.res.status).toBe(201);
    expect(reply.trips).toBeLessThanOrEqual(2);
  });
});

describe("the widget's poll, GET /api/chat", () => {
  it("answers 404 for an unknown or malformed session, and shows one session's messages only", async () => {
    expect((await poll("A".repeat(32))).status).toBe(404);
    expect((await poll("short")).status).toBe(404);
    const a = await shopperSays(null, "Bonjour, message de A");
    const b = await shopperSays(null, "Bonjour, message de B");
    const seen = (await poll(a.sessionId)).body.messages.map((m: { text: string }) => m.text);
    expect(seen).toContain("Bonjour, message de A");
    expect(seen).not.toContain("Bonjour, message de B");
    expect((await call(`/api/chat?sessionId=${b.sessionId}&after=abc`)).status).toBe(400);
  });
});

describe("quick replies, leads and orders", () => {
  it("offers 5 quick replies until the owner saves up to 10 of their own", async () => {
    expect((await get("/api/admin/quick-replies")).quickReplies).toHaveLength(5);
    const mine = ["Bonjour !", "Je regarde", "C'est en stock", "Livraison 48 h", "Merci !", "À bientôt"];
    const put = await call("/api/admin/quick-replies", { method: "PUT", cookie, body: { quickReplies: mine } });
    expect(put.status).toBe(200);
    expect((await get("/api/admin/quick-replies")).quickReplies).toEqual(mine);
    const tooMany = await call("/api/admin/quick-replies", { method: "PUT", cookie, body: { quickReplies: Array.from({ length: 11 }, (_, i) => `r${i}`) } });
    expect(tooMany.status).toBe(400);
    expect((await get("/api/admin/quick-replies")).quickReplies).toEqual(mine);
  });

  it("lists and searches leads, and exports them as CSV with formulas defused", async () => {
    const { POST } = await import("../../api/lead.js");
    for (const lead of [
      { email: "camille@example.fr", name: "Camille Roux", phone: "+33611223344", message: "Un devis pour 20 bougies", consent: true },
      { email: "evil@example.fr", name: "=HYPERLINK(\"http://x\")", message: "bonjour, \"test\"", consent: true },
    ]) {
      const res = await POST(new Request("http://shop.test/api/lead", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(lead) }));
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    }
    const found = await get("/api/admin/leads?q=camille");
    expect(found.leads).toHaveLength(1);
    expect(found.leads[0]).toMatchObject({ email: "camille@example.fr", name: "Camille Roux", phone: "+33611223344" });
    const csv = await call("/api/admin/leads?format=csv", { cookie });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("email,name,phone,message,source,consent,submissions,created_at,updated_at,conversation_id");
    expect(text).toContain("camille@example.fr,Camille Roux,'+33611223344,Un devis pour 20 bougies");
    expect(text).toContain(`evil@example.fr,"'=HYPERLINK(""http://x"")",,"bonjour, ""test"""`);
  });

  it("lists checkout orders with status, exact decimal amount and channel", async () => {
    await rows(world.services, `insert into app_checkout_order (cart_hash, status, currency, amount_total, items, channel, conversation_id, created_at, expires_at, updated_at)
      values ('h1', 'paid', 'eur', 4990, '[{"name":"Robe","unitAmount":4990,"quantity":1}]', 'whatsapp', null, now(), now() + interval '1 hour', now()),
             ('h2', 'creating', 'eur', 1000, '[]', 'web', null, now(), now() + interval '1 hour', now())`);
    const list = await get("/api/admin/orders");
    expect(list.orders).toHaveLength(1);
    expect(list.orders[0]).toMatchObject({ status: "paid", amount: "49.90", currency: "EUR", channel: "whatsapp" });
    expect((await get("/api/admin/orders?status=expired")).orders).toEqual([]);
  });
});
