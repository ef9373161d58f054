/**
 * GET/POST /api/messenger-webhook: verification, signature, every event shape (text, quick
 * reply, postback, echo, attachments, sticker), exactly-once under duplicates and races, batches.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET, POST } from "../../api/messenger-webhook.js";
import { inboundGet, outboundList } from "../../lib/channels/store.js";
import { signMetaBody } from "../../lib/channels/signature.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { useGraph } from "./graph-double.js";
import { APP_SECRET, META_ENV, MS_PAGE_ID, mid, msMessage, msPayload, msPostback, signedPost } from "./meta-fixtures.js";

const server = useMsw();
const graph = useGraph(server);
let services: Services;
let seq = 0;
const psid = () => `25${String(4_000_000 + ++seq).padStart(14, "0")}`;

beforeAll(async () => {
  services = await createTestServices({ ...META_ENV, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) });
});
afterAll(() => services.store.close());
beforeEach(() => {
  graph.reset();
  graph.install();
});

const post = (payload: unknown) => POST(signedPost("/api/messenger-webhook", payload));

async function transcript(userKey: string) {
  const conv = await services.store.rpc<{ id: string } | null>("chat_conversation_get", { p_channel: "messenger", p_user_key: userKey });
  if (!conv) return null;
  return (await services.store.rpc<{ messages: { role: string; content: string; payload: string | null }[] }>("chat_transcript", { p_conversation_id: conv.id })).messages;
}

describe("GET /api/messenger-webhook", () => {
  it("echoes the challenge for the Messenger verify token", async () => {
    const res = await GET(req(`/api/messenger-webhook?hub.mode=subscribe&hub.verify_token=ms-verify-token-456&hub.challenge=987654321`));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("987654321");
  });

  it.each([["the WhatsApp token", "wa-verify-token-123"], ["a wrong token", "nope"]])("answers 403 for %s", async (_n, token) => {
    const res = await GET(req(`/api/messenger-webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=987654321`));
    expect(res.status).toBe(403);
  });
});

describe("POST /api/messenger-webhook", () => {
  it.each<[string, (body: string) => string | null]>([
    ["missing", () => null],
    ["wrong", () => `sha256=${"1".repeat(64)}`],
    ["sha1=", (b) => signMetaBody(b, APP_SECRET).replace("sha256=", "sha1=")],
  ])("rejects a %s signature with 401 and stores nothing", async (_n, sign) => {
    const user = psid();
    const event = msMessage(user, { text: "Bonjour" });
    const body = JSON.stringify(msPayload([event]));
    const res = await POST(signedPost("/api/messenger-webhook", body, { signature: sign(body) }));
    expect(res.status).toBe(401);
    expect(await inboundGet(services.store, "messenger", (event.message as { mid: string }).mid)).toBeNull();
    expect(await transcript(user)).toBeNull();
    expect(graph.calls).toHaveLength(0);
  });

  it("answers a text message once, with RESPONSE to the PSID", async () => {
    const user = psid();
    const payload = msPayload([msMessage(user, { text: "Bonjour" })]);
    const res = await post(payload);
    expect(await res.json()).toEqual({ received: true, messages: 1, duplicates: 0, statuses: 0 });
    expect(graph.messenger()).toHaveLength(1);
    expect(graph.messenger()[0]!.body).toMatchObject({
      recipient: { id: user },
      messaging_type: "RESPONSE",
      message: { text: expect.stringContaining("Bonjour"), quick_replies: expect.any(Array) },
    });
    expect(await (await post(payload)).json()).toMatchObject({ messages: 0, duplicates: 1 });
    expect(graph.messenger()).toHaveLength(1);
  });

  it("delivered 50 times at once gets exactly one assistant turn and one send", async () => {
    const user = psid();
    const payload = msPayload([msMessage(user, { text: "Bonjour" })]);
    const acks = await Promise.all(Array.from({ length: 50 }, () => post(payload).then((r) => r.json())));
    expect(acks.reduce((n, a) => n + a.messages, 0)).toBe(1);
    expect(graph.messenger()).toHaveLength(1);
    expect((await transcript(user))!.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("maps a quick reply and a postback to the assistant's payloads", async () => {
    const user = psid();
    await post(msPayload([msMessage(user, { text: "Une réduction ?", quick_reply: { payload: "discount" } })]));
    await post(msPayload([msPostback(user, "search:", "Voir les produits")]));
    const t = await transcript(user);
    expect(t!.filter((m) => m.role === "user").map((m) => [m.payload, m.content])).toEqual([
      ["discount", "Une réduction ?"],
      ["search:", "Voir les produits"],
    ]);
  });

  it("answers a batch of 3 events (several entries) with 3 turns, ignoring echoes of our own messages", async () => {
    const [a, b] = [psid(), psid()];
    const payload = {
      object: "page",
      entry: [
        { id: MS_PAGE_ID, time: Date.now(), messaging: [msMessage(a, { text: "Bonjour" }), msMessage(MS_PAGE_ID, { text: "echo", is_echo: true, app_id: 1517776481860111 })] },
        { id: MS_PAGE_ID, time: Date.now(), messaging: [msMessage(b, { text: "Hello" }), msMessage(a, { text: "vous avez des bougies ?" })] },
      ],
    };
    expect(await (await post(payload)).json()).toMatchObject({ messages: 3 });
    expect((await transcript(a))!.filter((m) => m.role === "user")).toHaveLength(2);
    expect((await transcript(b))!.filter((m) => m.role === "user")).toHaveLength(1);
    expect(graph.messenger().some((c) => c.body.recipient.id === MS_PAGE_ID)).toBe(false);
  });

  it("answers an image without text politely, once per 10 minutes, and ignores a sticker", async () => {
    const user = psid();
    const image = () => msMessage(user, { attachments: [{ type: "image", payload: { url: "https://scontent.xx.fbcdn.net/v/t1.jpg" } }] });
    await post(msPayload([image(), image()]));
    expect(graph.messenger()).toHaveLength(1);
    expect(graph.messenger()[0]!.body.message.text).toContain("messages écrits");
    const sticker = msMessage(user, { sticker_id: 369239263222822, attachments: [{ type: "image", payload: { url: "https://x/thumb.png", sticker_id: 369239263222822 } }] });
    expect(await (await post(msPayload([sticker]))).json()).toMatchObject({ messages: 0 });
    expect(await inboundGet(services.store, "messenger", (sticker.message as { mid: string }).mid)).toMatchObject({ note: "ignored" });
    expect(graph.messenger()).toHaveLength(1);
  });

  it("acknowledges reads, deliveries and reactions without storing them", async () => {
    const user = psid();
    const res = await post(
      msPayload([
        { sender: { id: user }, recipient: { id: MS_PAGE_ID }, timestamp: Date.now(), read: { watermark: Date.now() } },
        { sender: { id: user }, recipient: { id: MS_PAGE_ID }, timestamp: Date.now(), reaction: { mid: mid(), action: "react", emoji: "❤️", reaction: "love" } },
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ messages: 0, duplicates: 0 });
    expect(await outboundList(services.store, "messenger", { userId: user })).toEqual([]);
  });
});
