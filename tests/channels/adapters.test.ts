/**
 * The channel adapters through the registry: the reply windows a caller asks about (the owner's
 * inbox countdown), an owner's reply through the one send interface (Messenger HUMAN_AGENT up to
 * 7 days, the assistant 24 h only), and the web widget's send that stores the message in the
 * conversation for the widget to fetch.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as chatPost } from "../../api/chat.js";
import { POST as messengerPost } from "../../api/messenger-webhook.js";
import type { Reply } from "../../lib/assistant/types.js";
import { channelAdapters, replyWindow, sendToConversation } from "../../lib/channels/registry.js";
import { outboundList } from "../../lib/channels/store.js";
import { messengerWindow, whatsappWindow } from "../../lib/channels/window.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";
import { useGraph } from "./graph-double.js";
import { META_ENV, msMessage, msPayload, signedPost } from "./meta-fixtures.js";

const server = useMsw();
const graph = useGraph(server);
let services: Services;
let store: PgliteStore;
let seq = 0;
const psid = () => `28${String(6_000_000 + ++seq).padStart(14, "0")}`;
const reply = (text: string): Reply => ({ text, products: [], buttons: [], links: [], handoff: false });
const T0 = "2026-11-25T09:00:00.000Z";
const plusHours = (h: number) => new Date(Date.parse(T0) + h * 3_600_000).toISOString();

beforeAll(async () => {
  services = await createTestServices({ ...META_ENV, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) });
  store = services.store as PgliteStore;
});
afterAll(() => store.close());
beforeEach(async () => {
  graph.reset();
  graph.install();
  await setDbNow(store, null);
});

/** A Messenger user who wrote at T0 (their window opened then). */
async function messengerUserAtT0(): Promise<string> {
  await setDbNow(store, T0);
  const id = psid();
  const res = await messengerPost(signedPost("/api/messenger-webhook", msPayload([{ ...msMessage(id, { text: "merci" }), timestamp: Date.parse(T0) }])));
  expect(res.status).toBe(200);
  graph.reset();
  graph.install();
  return id;
}

describe("window rules", () => {
  it.each([
    ["assistant", 23, { allowed: "free_text", until: plusHours(24) }],
    ["owner", 23, { allowed: "free_text", until: plusHours(24) }],
    ["assistant", 25, { allowed: "nothing", until: null }],
    ["owner", 25, { allowed: "tag", tag: "HUMAN_AGENT", until: plusHours(168) }],
    ["owner", 167, { allowed: "tag", tag: "HUMAN_AGENT", until: plusHours(168) }],
    ["owner", 169, { allowed: "nothing", until: null }],
  ] as const)("Messenger, %s, %i h after the user's last message", (sender, hours, expected) => {
    expect(messengerWindow({ lastInboundAt: T0, now: plusHours(hours), sender })).toMatchObject(expected);
  });

  it.each([
    [23, "tmpl", { allowed: "free_text", until: plusHours(24) }],
    [25, "tmpl", { allowed: "template", template: "tmpl", until: null }],
    [25, undefined, { allowed: "nothing", until: null }],
  ] as const)("WhatsApp %i h after, template %s: the owner and the assistant alike", (hours, template, expected) => {
    for (const sender of ["assistant", "owner"] as const) {
      expect(whatsappWindow({ lastInboundAt: T0, now: plusHours(hours), sender }, template)).toMatchObject(expected);
    }
  });

  it("is closed on a Meta channel for a user who never wrote, and never on the web", async () => {
    expect(messengerWindow({ lastInboundAt: null, now: T0, sender: "owner" })).toMatchObject({ allowed: "nothing" });
    expect(await replyWindow(services, { channel: "web", user_key: "any-session" }, "assistant")).toEqual({ allowed: "free_text", until: null });
  });
});

describe("an owner's reply on Messenger", () => {
  it("is asked about and sent tagged HUMAN_AGENT 25 hours after the user's message; the assistant may not", async () => {
    const user = await messengerUserAtT0();
    await setDbNow(store, plusHours(25));
    const conversation = { channel: "messenger" as const, user_key: user };
    expect(await replyWindow(services, conversation, "owner")).toEqual({ allowed: "tag", tag: "HUMAN_AGENT", until: plusHours(168) });
    expect(await replyWindow(services, conversation, "assistant")).toMatchObject({ allowed: "nothing", until: null });

    const bot = await sendToConversation(services, { conversation, sender: "assistant", reply: reply("Encore là ?"), key: `bot:${user}` });
    expect(bot).toMatchObject({ sent: 0, undeliverable: 1 });
    expect(graph.messenger()).toHaveLength(0);

    const owner = await sendToConversation(services, { conversation, sender: "owner", reply: reply("Bonjour, c'est Claire de la boutique."), key: `owner:${user}` });
    expect(owner).toMatchObject({ sent: 1, undeliverable: 0 });
    expect(graph.messenger()).toHaveLength(1);
    expect(graph.messenger()[0]!.body).toMatchObject({
      recipient: { id: user },
      messaging_type: "MESSAGE_TAG",
      tag: "HUMAN_AGENT",
      message: { text: "Bonjour, c'est Claire de la boutique." },
    });
  });

  it("is a plain RESPONSE inside 24 hours, and refused after 7 days", async () => {
    const user = await messengerUserAtT0();
    const conversation = { channel: "messenger" as const, user_key: user };
    await setDbNow(store, plusHours(2));
    await sendToConversation(services, { conversation, sender: "owner", reply: reply("Je regarde."), key: `o1:${user}` });
    expect(graph.messenger()[0]!.body).toMatchObject({ messaging_type: "RESPONSE" });
    expect(graph.messenger()[0]!.body.tag).toBeUndefined();

    await setDbNow(store, plusHours(24 * 7 + 1));
    expect(await replyWindow(services, conversation, "owner")).toMatchObject({ allowed: "nothing" });
    const late = await sendToConversation(services, { conversation, sender: "owner", reply: reply("Toujours intéressé ?"), key: `o2:${user}` });
    expect(late).toMatchObject({ sent: 0, undeliverable: 1 });
    expect(graph.messenger()).toHaveLength(1);
    expect((await outboundList(store, "messenger", { sourceKey: `o2:${user}` }))[0]).toMatchObject({ status: "undeliverable" });
  });
});

describe("the web widget adapter", () => {
  it("stores the owner's message in the conversation once per key, for the widget to fetch", async () => {
    const res = await chatPost(req("/api/chat", { body: { message: "Bonjour" } }));
    expect(res.status).toBe(200);
    const { sessionId } = (await res.json()) as { sessionId: string };
    const conversation = { channel: "web" as const, user_key: sessionId };

    const first = await sendToConversation(services, { conversation, sender: "owner", reply: reply("Bonjour, je suis Claire."), key: "inbox:1" });
    const again = await sendToConversation(services, { conversation, sender: "owner", reply: reply("Bonjour, je suis Claire."), key: "inbox:1" });
    expect(first).toMatchObject({ parts: 1, sent: 1 });
    expect(again).toMatchObject({ parts: 1, sent: 1 });

    const conv = await store.rpc<{ id: string }>("chat_conversation_get", { p_channel: "web", p_user_key: sessionId });
    const { messages } = await store.rpc<{ messages: { role: string; content: string; meta: Record<string, unknown> }[] }>("chat_transcript", { p_conversation_id: conv.id });
    const owners = messages.filter((m) => m.content === "Bonjour, je suis Claire.");
    expect(owners).toHaveLength(1);
    expect(owners[0]).toMatchObject({ role: "assistant", meta: { sender: "owner" } });
    expect(graph.calls).toHaveLength(0);
  });

  it("reports a message for an unknown session as undeliverable and stores nothing", async () => {
    const report = await channelAdapters.web.send(services, { userId: "no-such-session-aaaaaaaaaaaaaaaaaaaaaaaa", sourceKey: "inbox:x", reply: reply("Allô ?"), sender: "owner" });
    expect(report).toMatchObject({ parts: 1, sent: 0, undeliverable: 1 });
  });
});

describe("the registry is the only place that knows the channels", () => {
  const BRANCH = /channel ?[!=]==? ?['"](web|whatsapp|messenger)['"]/;
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : n.endsWith(".ts") ? [path.join(dir, n)] : []));

  it("no module in lib/ or api/ branches on a channel's name outside the registry and the adapters", () => {
    const allowed = /lib\/channels\/(registry\.ts|[a-z]+\/adapter\.ts)$/;
    const offenders = [...files("lib"), ...files("api")]
      .filter((f) => !allowed.test(f.split(path.sep).join("/")))
      .flatMap((f) => readFileSync(f, "utf8").split("\n").map((line, i) => [f, i + 1, line] as const))
      .filter(([, , line]) => BRANCH.test(line))
      .map(([f, n, line]) => `${f}:${n}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it("has one adapter per channel a conversation can have", () => {
    expect(Object.keys(channelAdapters).sort()).toEqual(["messenger", "web", "whatsapp"]);
    for (const [name, adapter] of Object.entries(channelAdapters)) expect(adapter.name).toBe(name);
  });
});
