/**
 * Chat turns on a real PostgreSQL server (many connections at once): a redelivered message id
 * is answered once, parallel first messages of one user share one conversation, a turn costs
 * two round trips, and the knowledge base works without pgvector when the server lacks it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleTurn } from "../../lib/assistant/index.js";
import { loadConfig } from "../../lib/config.js";
import { searchKnowledgeDetailed } from "../../lib/kb/index.js";
import { createServices, type Services } from "../../lib/services.js";
import { BASE_ENV } from "../helpers/services.js";
import { TEST_DATABASE_URL, createPgDatabase } from "../helpers/store.js";
import { newUser } from "./harness.js";

describe.runIf(TEST_DATABASE_URL)("chat turns on PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let services: Services;
  const q = async <T>(sql: string, params: unknown[] = []) => (await db.store.sql.unsafe(sql, params as never[])) as unknown as T[];

  beforeAll(async () => {
    db = await createPgDatabase();
    services = await createServices(loadConfig({ ...BASE_ENV, OUTBOX_DIR: `/tmp/comptoir-test-outbox-pg-${process.pid}` }), db.store);
  });
  afterAll(async () => db.drop());

  it("answers a message id delivered eight times at once exactly once", async () => {
    const user = newUser();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => handleTurn(services, { channel: "whatsapp", userId: user, messageId: "wamid.PARALLEL", text: "une réduction ?" })),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const [conv] = await q<{ id: string }>("select id from chat_conversation where channel = 'whatsapp' and user_key = $1", [user]);
    expect(await q("select role from chat_message where conversation_id = $1 order by id", [conv!.id])).toEqual([{ role: "user" }, { role: "assistant" }]);
    expect(await q("select 1 from app_coupon_offer where conversation_id = $1", [conv!.id])).toHaveLength(1);
  });

  it("keeps one conversation when a new user's first messages arrive in parallel", async () => {
    const user = newUser();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => handleTurn(services, { channel: "messenger", userId: user, messageId: `mid.${i}`, text: "Bonjour" })),
    );
    expect(new Set(results.map((r) => r.conversationId)).size).toBe(1);
    expect(await q("select 1 from chat_message where conversation_id = $1 and role = 'assistant'", [results[0]!.conversationId])).toHaveLength(10);
  });

  it("costs two round trips for an offline turn without tools", async () => {
    const user = newUser();
    await handleTurn(services, { channel: "web", userId: user, messageId: "m-rt-1", text: "Bonjour" });
    const before = db.store.roundTrips;
    await handleTurn(services, { channel: "web", userId: user, messageId: "m-rt-2", text: "Merci beaucoup" });
    expect(db.store.roundTrips - before).toBe(2);
  });

  it("searches the knowledge base by full text, with or without pgvector on the server", async () => {
    const [{ vectors }] = (await q<{ vectors: boolean }>("select public.kb_vectors_supported() as vectors")) as [{ vectors: boolean }];
    const available = (await q("select 1 from pg_available_extensions where name = 'vector'")).length > 0;
    expect(vectors).toBe(available);
    const r = await searchKnowledgeDetailed(services, { query: "Acceptez-vous PayPal ?" });
    expect(r.results[0]?.heading).toBe("Paiement > Moyens de paiement acceptés");
    // An embedding on a server without pgvector is ignored, not an error.
    const withVector = await services.store.rpc<{ results: unknown[] }>("kb_search", {
      p_query: "PayPal",
      p_embedding: `[${new Array(384).fill(0.05).join(",")}]`,
      p_model: "intfloat/multilingual-e5-small",
    });
    expect(withVector.results.length).toBeGreaterThan(0);
  });
});
