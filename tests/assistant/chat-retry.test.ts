/**
 * A retried chat message whose reply was never stored (issue 16, defect 7): the first attempt
 * answered, but storing the reply failed (the database dropped between the two round trips).
 * The shopper's retry (same sessionId + messageId) must get a real answer once the first
 * attempt's answer lease (request budget 25 s + 5 s) has run out, and the conversation ends up
 * with one reply to that message, not an empty text forever. The database clock is pinned.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/chat.js";
import { setServices, type Services } from "../../lib/services.js";
import { createTestServices, req } from "../helpers/services.js";
import { createTestStore, setDbNow } from "../helpers/store.js";
import { flaky, type FlakyStore } from "../channels/flaky-store.js";
import type { PgliteStore } from "../../lib/store/pglite.js";

const ip = () => `10.7.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
async function chat(body: unknown): Promise<{ status: number; body: any }> {
  const res = await POST(req("/api/chat", { method: "POST", body, headers: { "x-forwarded-for": ip() } }));
  return { status: res.status, body: await res.json() };
}

describe("POST /api/chat, a retry after the reply was not stored", () => {
  let services: Services;
  let store: FlakyStore;
  let pg: PgliteStore;
  beforeAll(async () => {
    pg = await createTestStore();
    store = flaky(pg);
    services = await createTestServices({ CHAT_RATE_IP_LIMIT: "1000", CHAT_RATE_SESSION_LIMIT: "1000" }, store);
  });
  let clock = Date.parse("2026-11-30T10:00:00Z");
  const at = (seconds: number) => setDbNow(pg, new Date((clock += seconds * 1000)));
  beforeEach(async () => {
    setServices(services);
    await at(3600);
  });
  afterAll(async () => services.store.close());

  const messagesOf = async (sessionId: string) =>
    (
      await pg.db.query<{ role: string; content: string; reply_to: string | null }>(
        `select m.role, m.content, m.reply_to::text from chat_message m join chat_conversation c on c.id = m.conversation_id
         where c.user_key = $1 order by m.id`,
        [sessionId],
      )
    ).rows;

  it("answers the retry with a real reply and stores exactly one reply to the message", async () => {
    const opening = await chat({ message: "Bonjour" });
    expect(opening.status).toBe(200);
    const sessionId = opening.body.sessionId as string;

    store.failNext("chat_turn_finish");
    const first = await chat({ sessionId, message: "vous avez des robes ?", messageId: "client-msg-robes-1" });
    expect(first.status).toBe(200);
    expect(first.body.reply.text).not.toBe("");
    // The reply to that message was not stored.
    expect((await messagesOf(sessionId)).map((m) => m.role)).toEqual(["user", "assistant", "user"]);

    // Within the lease the first attempt may still be answering: no second turn yet.
    await at(10);
    const early = await chat({ sessionId, message: "vous avez des robes ?", messageId: "client-msg-robes-1" });
    expect(early.status).toBe(200);
    expect(await messagesOf(sessionId)).toHaveLength(3);

    await at(21); // 31 s after the first attempt: its lease (25 + 5 s) is over
    const retry = await chat({ sessionId, message: "vous avez des robes ?", messageId: "client-msg-robes-1" });
    expect(retry.status).toBe(200);
    expect(retry.body.sessionId).toBe(sessionId);
    expect(retry.body.reply.text.trim()).not.toBe("");
    expect(retry.body.reply.products.length).toBeGreaterThan(0);
    expect(retry.body.reply.text).toBe(first.body.reply.text);

    const after = await messagesOf(sessionId);
    expect(after.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(after.filter((m) => m.role === "user").map((m) => m.content)).toEqual(["Bonjour", "vous avez des robes ?"]);

    // From now on the stored reply is the answer, without another turn.
    const third = await chat({ sessionId, message: "vous avez des robes ?", messageId: "client-msg-robes-1" });
    expect(third.body.reply).toEqual(retry.body.reply);
    expect(await messagesOf(sessionId)).toHaveLength(4);
  });

  it("two parallel retries after the lease run the turn once and store one reply", async () => {
    const sessionId = (await chat({ message: "Bonjour" })).body.sessionId as string;
    store.failNext("chat_turn_finish");
    await chat({ sessionId, message: "quels sont les délais de livraison ?", messageId: "client-msg-delais" });
    await at(31);
    const retries = await Promise.all([1, 2].map(() => chat({ sessionId, message: "quels sont les délais de livraison ?", messageId: "client-msg-delais" })));
    expect(retries.filter((r) => r.body.reply.text.trim() !== "").length).toBeGreaterThanOrEqual(1);
    const replies = (await messagesOf(sessionId)).filter((m) => m.role === "assistant");
    expect(replies).toHaveLength(2); // "Bonjour"'s and the one reply to the retried message
    const later = await chat({ sessionId, message: "quels sont les délais de livraison ?", messageId: "client-msg-delais" });
    expect(later.body.reply.text.trim()).not.toBe("");
    expect((await messagesOf(sessionId)).filter((m) => m.role === "assistant")).toHaveLength(2);
  });

  it("a message stored before answer leases existed (no lease) is answered again on retry", async () => {
    const sessionId = (await chat({ message: "Bonjour" })).body.sessionId as string;
    store.failNext("chat_turn_finish");
    await chat({ sessionId, message: "vous avez des robes ?", messageId: "client-msg-old" });
    await pg.db.query("update chat_message set answer_lease_until = null where external_id = 'client-msg-old'");
    const retry = await chat({ sessionId, message: "vous avez des robes ?", messageId: "client-msg-old" });
    expect(retry.body.reply.products.length).toBeGreaterThan(0);
  });
});
