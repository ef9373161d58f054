/**
 * The races on a real PostgreSQL server (many connections at once): 50 parallel deliveries of
 * one message, parallel statuses, and two cron runs at once. Runs when TEST_DATABASE_URL is set.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as waPOST } from "../../api/whatsapp-webhook.js";
import { POST as msPOST } from "../../api/messenger-webhook.js";
import { retryChannelWork } from "../../lib/channels/retry.js";
import { outboundList } from "../../lib/channels/store.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { TEST_DATABASE_URL, createPgDatabase } from "../helpers/store.js";
import { graphError, useGraph } from "./graph-double.js";
import { META_ENV, msMessage, msPayload, signedPost, waMessages, waPayload, waStatus, waText, wamid } from "./meta-fixtures.js";

const server = useMsw();
const graph = useGraph(server);

describe.runIf(TEST_DATABASE_URL)("channels on real PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let services: Services;
  beforeAll(async () => {
    db = await createPgDatabase();
    services = await createTestServices({ ...META_ENV, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) }, db.store);
  });
  afterAll(() => db?.drop());
  beforeEach(() => {
    graph.reset();
    graph.install();
  });

  async function turns(channel: string, userKey: string): Promise<string[]> {
    const conv = await services.store.rpc<{ id: string } | null>("chat_conversation_get", { p_channel: channel, p_user_key: userKey });
    if (!conv) return [];
    return (await services.store.rpc<{ messages: { role: string }[] }>("chat_transcript", { p_conversation_id: conv.id })).messages.map((m) => m.role);
  }

  it("50 parallel deliveries of one WhatsApp message: exactly one assistant turn and one send", async () => {
    const from = "33640000001";
    const id = wamid();
    const payload = waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])]);
    const acks = await Promise.all(Array.from({ length: 50 }, () => waPOST(signedPost("/api/whatsapp-webhook", payload)).then((r) => r.json())));
    expect(acks.reduce((n, a) => n + a.messages, 0)).toBe(1);
    expect(acks.reduce((n, a) => n + a.duplicates, 0)).toBe(49);
    expect(graph.calls).toHaveLength(1);
    expect(await turns("whatsapp", from)).toEqual(["user", "assistant"]);
    expect(await outboundList(services.store, "whatsapp", { sourceKey: id })).toEqual([expect.objectContaining({ status: "sent", attempts: 1 })]);
  });

  it("50 parallel deliveries of one Messenger message: exactly one turn and one send", async () => {
    const psid = "2800000000000001";
    const payload = msPayload([msMessage(psid, { text: "Bonjour" })]);
    const acks = await Promise.all(Array.from({ length: 50 }, () => msPOST(signedPost("/api/messenger-webhook", payload)).then((r) => r.json())));
    expect(acks.reduce((n, a) => n + a.messages, 0)).toBe(1);
    expect(graph.messenger()).toHaveLength(1);
    expect(await turns("messenger", psid)).toEqual(["user", "assistant"]);
  });

  it("statuses delivered in parallel and out of order end on the highest one", async () => {
    const from = "33640000002";
    const id = wamid();
    await waPOST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])])));
    const [row] = await outboundList(services.store, "whatsapp", { sourceKey: id });
    const wid = row!.provider_message_id!;
    const order = ["delivered", "read", "sent", "delivered", "sent", "read"] as const;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => waPOST(signedPost("/api/whatsapp-webhook", waPayload([{ statuses: [waStatus(wid, order[i % order.length]!, from)] }])))),
    );
    expect((await outboundList(services.store, "whatsapp", { sourceKey: id }))[0]).toMatchObject({ delivery_status: "read" });
  });

  it("two cron runs at once send each due part once", async () => {
    const users = ["33640000010", "33640000011", "33640000012", "33640000013"];
    graph.always(graphError(503, 2, "Service temporarily unavailable"));
    for (const u of users) await waPOST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: u }, [waText("merci")])])));
    graph.reset();
    graph.install();
    // Make them due now.
    const pg = (await import("postgres")).default(db.url, { max: 1, onnotice: () => {} });
    try {
      await pg`update public.channel_outbound set next_attempt_at = now() - interval '1 second' where status = 'failed'`;
    } finally {
      await pg.end();
    }
    const [a, b] = await Promise.all([retryChannelWork(services), retryChannelWork(services)]);
    expect(a.outbound_sent! + b.outbound_sent!).toBe(users.length);
    expect(new Set(graph.calls.map((c) => c.body.to))).toEqual(new Set(users));
    expect(graph.calls).toHaveLength(users.length);
  });
});
