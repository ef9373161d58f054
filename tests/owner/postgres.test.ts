/**
 * The owner and the assistant racing on a real PostgreSQL server (many connections at once):
 * while the owner has the conversation the assistant never answers, and in the assistant's
 * conversation no assistant reply is stored after the owner's. Runs when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL, createPgDatabase } from "../helpers/store.js";
import { call, handedOff, ownerWorld, shopperSays, signIn, type OwnerWorld } from "./harness.js";

describe.runIf(TEST_DATABASE_URL)("the owner's side on real PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let world: OwnerWorld;
  let cookie: string;
  beforeAll(async () => {
    db = await createPgDatabase();
    world = await ownerWorld({}, db.store);
    cookie = await signIn(world);
  });
  afterAll(async () => {
    await world?.close();
    await db?.drop().catch(() => {});
  });

  const roles = async (conversationId: string) =>
    (await world.services.store.rpc<{ messages: { role: string }[] }>("chat_transcript", { p_conversation_id: conversationId, p_limit: 1000 })).messages.map((m) => m.role);

  it("50 shopper messages racing the owner's reply to a hand-off: 0 assistant turns", async () => {
    const { sessionId, conversationId } = await handedOff(world.services);
    const before = (await roles(conversationId)).filter((r) => r === "assistant").length;
    const [reply, ...answers] = await Promise.all([
      call(`/api/admin/conversations/${conversationId}/reply`, { cookie, body: { text: "Je suis là." } }),
      ...Array.from({ length: 50 }, (_, i) => shopperSays(sessionId, `message ${i} : il y a quelqu'un ?`)),
    ]);
    expect(reply.status).toBe(201);
    expect(answers.filter((a) => a.reply.text !== "")).toEqual([]);
    const after = await roles(conversationId);
    expect(after.filter((r) => r === "assistant").length).toBe(before);
    expect(after.filter((r) => r === "user").length).toBe(52);
  });

  it("30 shopper messages racing the owner taking an assistant conversation: no assistant reply stored after the owner's", async () => {
    const first = await shopperSays(null, "Bonjour");
    const conv = await world.services.store.rpc<{ id: string }>("chat_conversation_get", { p_channel: "web", p_user_key: first.sessionId });
    const [reply] = await Promise.all([
      call(`/api/admin/conversations/${conv.id}/reply`, { cookie, body: { text: "Bonjour, c'est Marie." } }),
      ...Array.from({ length: 30 }, (_, i) => shopperSays(first.sessionId, `vous avez des bougies ? (${i})`)),
    ]);
    expect(reply.status).toBe(201);
    const order = await roles(conv.id);
    const owner = order.indexOf("owner");
    expect(owner).toBeGreaterThan(0);
    expect(order.slice(owner).filter((r) => r === "assistant")).toEqual([]);
  });

  it("two owners replying at once to a hand-off: one 'is answering' line, both replies", async () => {
    const { conversationId } = await handedOff(world.services);
    const other = await signIn(world, "paul@maison-lumiere.example");
    const res = await Promise.all([
      call(`/api/admin/conversations/${conversationId}/reply`, { cookie, body: { text: "A" } }),
      call(`/api/admin/conversations/${conversationId}/reply`, { cookie: other, body: { text: "B" } }),
    ]);
    expect(res.map((r) => r.status)).toEqual([201, 201]);
    const order = await roles(conversationId);
    expect(order.filter((r) => r === "system")).toHaveLength(1);
    expect(order.filter((r) => r === "owner")).toHaveLength(2);
  });
});
