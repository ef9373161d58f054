/**
 * Who may use the owner's API: every route without a session -> 401; a write from a foreign
 * Origin -> 403 (nothing changes); a reply link opens one conversation, once, for 24 hours,
 * and nothing else; the assistant never answers while a person has the conversation, even
 * with 50 shopper messages racing the owner's reply.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createReplyLink } from "../../lib/owner/links.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { setDbNow } from "../helpers/store.js";
import { call, cookieOf, handedOff, jsonOf, ownerWorld, rows, shopperSays, signIn, type OwnerWorld } from "./harness.js";

let world: OwnerWorld;
let cookie: string;
beforeAll(async () => {
  world = await ownerWorld();
  cookie = await signIn(world);
});
afterAll(() => world.close());
afterEach(() => setDbNow(world.services.store as PgliteStore, null));

const ID = "0b9d7c1e-2f4a-4c8e-9d1a-5e6f7a8b9c0d";
const ROUTES: [string, string, unknown?][] = [
  ["GET", "/api/admin/conversations"],
  ["GET", "/api/admin/conversations?status=needs_human"],
  ["GET", `/api/admin/conversations/${ID}`],
  ["POST", `/api/admin/conversations/${ID}/reply`, { text: "hello" }],
  ["POST", `/api/admin/conversations/${ID}/release`],
  ["POST", `/api/admin/conversations/${ID}/close`],
  ["POST", `/api/admin/conversations/${ID}/note`, { note: "x" }],
  ["GET", "/api/admin/quick-replies"],
  ["PUT", "/api/admin/quick-replies", { quickReplies: ["x"] }],
  ["GET", "/api/admin/leads"],
  ["GET", "/api/admin/leads?format=csv"],
  ["GET", "/api/admin/orders"],
  ["GET", "/api/admin/session"],
  ["POST", "/api/admin/logout"],
];

describe("without a valid session", () => {
  it.each(ROUTES)("%s %s answers 401", async (method, path, body) => {
    for (const c of [null, "comptoir_owner=not-a-token", `comptoir_owner=${"A".repeat(43)}`]) {
      const res = await call(path, { method, cookie: c, ...(body !== undefined ? { body } : {}) });
      expect(res.status, `${c}: ${await res.clone().text()}`).toBe(401);
      expect((await jsonOf(res)).error.code).toBe("unauthorized");
    }
  });

  it("the ADMIN_API_KEY bearer is not a session (server-to-server only)", async () => {
    const res = await call("/api/admin/conversations", { headers: { authorization: "Bearer an-admin-api-key-of-some-length" } });
    expect(res.status).toBe(401);
  });
});

describe("a write from a foreign Origin", () => {
  it.each(ROUTES.filter(([m]) => m !== "GET"))("%s %s answers 403 and changes nothing", async (method, path, body) => {
    const { conversationId } = await handedOff(world.services);
    const real = path.replace(ID, conversationId);
    for (const origin of ["https://evil.example", "null"]) {
      const res = await call(real, { method, cookie, origin, ...(body !== undefined ? { body } : {}) });
      expect(res.status, origin).toBe(403);
    }
    const cross = await call(real, { method, cookie, origin: null, headers: { "sec-fetch-site": "cross-site" }, ...(body !== undefined ? { body } : {}) });
    expect(cross.status).toBe(403);
    const [c] = await rows<{ mode: string; note: string | null }>(world.services, "select mode, note from chat_conversation where id = $1", [conversationId]);
    expect(c).toEqual({ mode: "needs_human", note: null });
    expect((await call("/api/admin/session", { cookie })).status).toBe(200);
  });
});

describe("a reply link", () => {
  it("opens its conversation once: read, reply, give back; nothing else", async () => {
    const mine = await handedOff(world.services);
    const other = await handedOff(world.services);
    const url = await createReplyLink(world.services, mine.conversationId);
    expect(url).toMatch(/^http:\/\/shop\.test\/admin\/#link=[A-Za-z0-9_-]{32}$/);
    const token = url.split("#link=")[1]!;

    const exchanged = await call("/api/admin/link", { body: { token } });
    expect(exchanged.status).toBe(200);
    expect((await jsonOf(exchanged)).conversationId).toBe(mine.conversationId);
    const scoped = cookieOf(exchanged);
    expect((await call("/api/admin/link", { body: { token } })).status).toBe(401); // single use

    expect((await call(`/api/admin/conversations/${mine.conversationId}`, { cookie: scoped })).status).toBe(200);
    expect((await call(`/api/admin/conversations/${mine.conversationId}/reply`, { cookie: scoped, body: { text: "Je vous réponds." } })).status).toBe(201);

    for (const [method, path, body] of [
      ["GET", `/api/admin/conversations/${other.conversationId}`],
      ["POST", `/api/admin/conversations/${other.conversationId}/reply`, { text: "intrus" }],
      ["POST", `/api/admin/conversations/${other.conversationId}/release`],
      ["POST", `/api/admin/conversations/${other.conversationId}/close`],
      ["POST", `/api/admin/conversations/${other.conversationId}/note`, { note: "intrus" }],
      ["GET", "/api/admin/conversations"],
      ["GET", "/api/admin/leads"],
      ["GET", "/api/admin/orders"],
      ["GET", "/api/admin/quick-replies"],
    ] as [string, string, unknown?][]) {
      const res = await call(path, { method, cookie: scoped, ...(body !== undefined ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const [o] = await rows<{ mode: string; note: string | null; n: number }>(world.services,
      "select mode, note, (select count(*)::int from chat_message where conversation_id = c.id and role = 'owner') as n from chat_conversation c where id = $1", [other.conversationId]);
    expect(o).toEqual({ mode: "needs_human", note: null, n: 0 });
    expect((await call(`/api/admin/conversations/${mine.conversationId}/release`, { method: "POST", cookie: scoped })).status).toBe(200);
  });

  it("expires after 24 hours, and so does the session it opened", async () => {
    const store = world.services.store as PgliteStore;
    const { conversationId } = await handedOff(world.services);
    await setDbNow(store, "2026-12-02T08:00:00Z");
    const late = (await createReplyLink(world.services, conversationId)).split("#link=")[1]!;
    const used = (await createReplyLink(world.services, conversationId)).split("#link=")[1]!;
    await setDbNow(store, "2026-12-02T20:00:00Z");
    const scoped = cookieOf(await call("/api/admin/link", { body: { token: used } }));
    expect((await call(`/api/admin/conversations/${conversationId}`, { cookie: scoped })).status).toBe(200);
    await setDbNow(store, "2026-12-03T08:00:01Z");
    expect((await call("/api/admin/link", { body: { token: late } })).status).toBe(401);
    expect((await call(`/api/admin/conversations/${conversationId}`, { cookie: scoped })).status).toBe(401);
  });

  it("refuses a malformed token with 400", async () => {
    expect((await call("/api/admin/link", { body: { token: "../../etc" } })).status).toBe(400);
  });
});

describe("the assistant and the owner racing", () => {
  it("never answers while a person has the conversation: 50 shopper messages during the owner's reply -> 0 assistant turns", async () => {
    const { sessionId, conversationId } = await handedOff(world.services);
    const before = (await rows<{ n: number }>(world.services, "select count(*)::int as n from chat_message where conversation_id = $1 and role = 'assistant'", [conversationId]))[0]!.n;
    const reply = call(`/api/admin/conversations/${conversationId}/reply`, { cookie, body: { text: "Je suis là." } });
    const shoppers = Array.from({ length: 50 }, (_, i) => shopperSays(sessionId, `message ${i} : il y a quelqu'un ?`));
    const [res, ...answers] = await Promise.all([reply, ...shoppers]);
    expect(res.status).toBe(201);
    expect(answers.filter((a) => a.reply.text !== "")).toEqual([]);
    const after = (await rows<{ n: number }>(world.services, "select count(*)::int as n from chat_message where conversation_id = $1 and role = 'assistant'", [conversationId]))[0]!.n;
    expect(after).toBe(before);
  });

  it("drops the assistant's reply when the owner took the conversation while it was being written", async () => {
    const first = await shopperSays(null, "Bonjour");
    const [conv] = await rows<{ id: string }>(world.services, "select id from chat_conversation where user_key = $1", [first.sessionId]);
    const { startTurn } = await import("../../lib/assistant/index.js");
    const turn = await startTurn(world.services, { channel: "web", userId: first.sessionId, messageId: "m_race_12345", text: "vous avez des bougies ?" });
    expect((await call(`/api/admin/conversations/${conv!.id}/reply`, { cookie, body: { text: "Je prends la main." } })).status).toBe(201);
    const result = await turn.finish();
    expect(result.reply.text).toBe("");
    const n = (await rows<{ n: number }>(world.services, "select count(*)::int as n from chat_message where conversation_id = $1 and role = 'assistant' and reply_to = (select id from chat_message where external_id = 'm_race_12345')", [conv!.id]))[0]!.n;
    expect(n).toBe(0);
  });
});
