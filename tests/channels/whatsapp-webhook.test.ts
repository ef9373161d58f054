/**
 * POST /api/whatsapp-webhook end to end, with the real assistant (offline: no LLM keys) and a
 * Graph double: every payload shape, exactly-once under duplicates and races, batches, status
 * callbacks (forward only), BSUIDs, and human mode.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/whatsapp-webhook.js";
import { channelUserGet, inboundGet, outboundList } from "../../lib/channels/store.js";
import { notificationList } from "../../lib/notifications/store.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { useGraph } from "./graph-double.js";
import {
  META_ENV,
  nowSeconds,
  signedPost,
  waButtonReply,
  waContact,
  waImage,
  waListReply,
  waMessages,
  waPayload,
  waStatus,
  waTemplateButton,
  waText,
  wamid,
} from "./meta-fixtures.js";

const server = useMsw();
const graph = useGraph(server);
let services: Services;
let phoneSeq = 0;
/** A fresh French mobile number per test (conversations, windows and rate limits stay apart). */
const phone = () => `3361${String(2_000_000 + ++phoneSeq).padStart(7, "0")}`;

beforeAll(async () => {
  services = await createTestServices({ ...META_ENV, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) });
});
afterAll(() => services.store.close());
beforeEach(() => {
  graph.reset();
  graph.install();
});

const post = (payload: unknown) => POST(signedPost("/api/whatsapp-webhook", payload));
const one = (from: string, message: Record<string, unknown>, name = "Marie") => waPayload([waMessages({ wa_id: from, name }, [message])]);

async function transcript(userKey: string) {
  const conv = await services.store.rpc<{ id: string; mode: string } | null>("chat_conversation_get", { p_channel: "whatsapp", p_user_key: userKey });
  if (!conv) return null;
  const t = await services.store.rpc<{ messages: { role: string; content: string; payload: string | null }[] }>("chat_transcript", { p_conversation_id: conv.id });
  return { mode: conv.mode, messages: t.messages };
}

describe("a text message", () => {
  it("is answered once by the assistant, after a fast 200, as the Graph API expects", async () => {
    const from = phone();
    const id = wamid();
    const res = await post(one(from, waText("Bonjour", id)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, messages: 1, duplicates: 0, statuses: 0 });

    // The offline greeting has four choices: one interactive list whose body is the text.
    expect(graph.calls).toHaveLength(1);
    const call = graph.calls[0]!;
    expect(call.version).toBe("v26.0");
    expect(call.node).toBe("106540352242922");
    expect(call.authorization).toBe("Bearer EAAG-wa-system-user-token");
    expect(call.body).toMatchObject({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: from,
      type: "interactive",
      interactive: { type: "list", body: { text: expect.stringContaining("Bonjour") }, action: { button: "Choisir" } },
    });
    expect(call.body.interactive.action.sections[0].rows.map((r: { id: string }) => r.id)).toEqual(["search:", "discount", "faq:délais et frais de livraison", "human"]);

    const t = await transcript(from);
    expect(t!.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(await inboundGet(services.store, "whatsapp", id)).toMatchObject({ status: "done", action: "turn", attempts: 1 });
    const rows = await outboundList(services.store, "whatsapp", { sourceKey: id });
    expect(rows).toEqual([expect.objectContaining({ part_index: 0, kind: "list", status: "sent", sent_as: "free_form", attempts: 1, provider_message_id: "wamid.OUT1" })]);
    const user = await channelUserGet(services.store, "whatsapp", from);
    expect(user).toMatchObject({ phone: from, name: "Marie", window_open: true });
  });

  it("redelivered later is acknowledged and does nothing", async () => {
    const from = phone();
    const payload = one(from, waText("Bonjour"));
    await post(payload);
    expect(graph.calls).toHaveLength(1);
    const again = await post(payload);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ messages: 0, duplicates: 1 });
    expect(graph.calls).toHaveLength(1);
    expect((await transcript(from))!.messages).toHaveLength(2);
  });

  it("delivered 50 times at once gets exactly one assistant turn and one send", async () => {
    const from = phone();
    const id = wamid();
    const payload = one(from, waText("Bonjour", id));
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(payload)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const acks = await Promise.all(responses.map((r) => r.json()));
    expect(acks.reduce((n, a) => n + a.messages, 0)).toBe(1);
    expect(acks.reduce((n, a) => n + a.duplicates, 0)).toBe(49);
    expect(graph.calls).toHaveLength(1);
    expect((await transcript(from))!.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(await outboundList(services.store, "whatsapp", { userId: from })).toHaveLength(1);
  });
});

describe("text PostgreSQL cannot store", () => {
  it("a NUL character or a lone surrogate in a signed message is replaced, acknowledged and answered (refusing would make Meta retry for days)", async () => {
    const from = phone();
    const id = wamid();
    const res = await post(one(from, waText("Bonjour\u0000 vous avez des robes \uD83D?", id), "Ma\u0000rie"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ messages: 1 });
    expect(graph.calls.length).toBeGreaterThan(0); // the assistant's answer (the dresses: several parts)
    expect(graph.calls.every((c) => c.body.to === from)).toBe(true);
    const t = await transcript(from);
    expect(t!.messages[0]).toMatchObject({ role: "user", content: "Bonjour\uFFFD vous avez des robes \uFFFD?" });
    expect(t!.messages[1]).toMatchObject({ role: "assistant" });
    expect(await inboundGet(services.store, "whatsapp", id)).toMatchObject({ status: "done" });
  });
});

describe("a batch", () => {
  it("with 3 messages in several entries and changes gets 3 turns", async () => {
    const [a, b] = [phone(), phone()];
    const payload = {
      object: "whatsapp_business_account",
      entry: [
        waPayload([
          { contacts: [waContact({ wa_id: a, name: "Ana" }), waContact({ wa_id: b, name: "Bruno" })], messages: [{ from: a, timestamp: nowSeconds(), ...waText("Bonjour") }, { from: b, timestamp: nowSeconds(), ...waText("Hello") }] },
        ]).entry,
        waPayload([waMessages({ wa_id: a, name: "Ana" }, [waText("vous avez des bougies ?")])]).entry,
      ].flat(),
    };
    const res = await post(payload);
    expect(await res.json()).toMatchObject({ messages: 3, duplicates: 0 });
    expect((await transcript(a))!.messages.map((m) => m.content.slice(0, 7))).toEqual(["Bonjour", expect.any(String), "vous av", expect.any(String)]);
    expect((await transcript(b))!.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    const toA = graph.calls.filter((c) => c.body.to === a);
    const toB = graph.calls.filter((c) => c.body.to === b);
    expect(toB).toHaveLength(1);
    // a: the greeting (1 list), then the search: text, 4 product cards and the choices.
    expect(toA.length).toBeGreaterThanOrEqual(3);
    expect(toA[0]!.body.interactive.type).toBe("list");
    expect(toA[1]!.body.text.body).toContain("bougie");
  });

  it("ignores messages addressed to another phone number of the account", async () => {
    const from = phone();
    const payload = one(from, waText("Bonjour"));
    (payload as any).entry[0].changes[0].value.metadata.phone_number_id = "999999999";
    expect(await (await post(payload)).json()).toMatchObject({ messages: 0 });
    expect(graph.calls).toHaveLength(0);
  });
});

describe("message types", () => {
  it("maps an interactive button reply back to the assistant's payload", async () => {
    const from = phone();
    await post(one(from, waButtonReply("discount", "Une réduction ?")));
    const t = await transcript(from);
    expect(t!.messages[0]).toMatchObject({ role: "user", payload: "discount", content: "Une réduction ?" });
    expect(graph.calls).not.toHaveLength(0);
  });

  it("maps a list reply back to the row id", async () => {
    const from = phone();
    await post(one(from, waListReply("search:", "Voir les produits")));
    expect((await transcript(from))!.messages[0]).toMatchObject({ payload: "search:", content: "Voir les produits" });
  });

  it("maps a template quick reply to its button payload", async () => {
    const from = phone();
    await post(one(from, waTemplateButton("human", "Parler à un humain")));
    expect((await transcript(from))!.messages[0]).toMatchObject({ payload: "human" });
  });

  it("reads the caption of an image as text", async () => {
    const from = phone();
    await post(one(from, waImage("vous avez des bougies ?")));
    expect((await transcript(from))!.messages[0]).toMatchObject({ content: "vous avez des bougies ?" });
  });

  it("answers media without a caption with one polite text-only message per 10 minutes (an album is many messages)", async () => {
    const from = phone();
    const res = await post(waPayload([waMessages({ wa_id: from }, [waImage(), waImage(), { id: wamid(), type: "audio", audio: { id: "2", mime_type: "audio/ogg; codecs=opus" } }])]));
    expect(await res.json()).toMatchObject({ messages: 1 });
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.body).toMatchObject({ type: "text", to: from, text: { body: expect.stringContaining("messages écrits") } });
    expect(await transcript(from)).toBeNull(); // nothing for the assistant to read
  });

  it.each([
    ["a location", { type: "location", location: { latitude: 48.85, longitude: 2.35, name: "Boutique" } }, "localisation"],
    ["a contact card", { type: "contacts", contacts: [{ name: { formatted_name: "Jo" }, phones: [{ phone: "+33 6 00" }] }] }, "pas pu lire"],
    ["an unsupported message", { type: "unsupported", errors: [{ code: 131051, title: "Message type unknown" }] }, "pas pu lire"],
    ["a type Meta adds later", { type: "hologram", hologram: {} }, "pas pu lire"],
  ])("answers %s politely, in text only", async (_name, message, words) => {
    const from = phone();
    await post(one(from, { id: wamid(), ...message }));
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.body.text.body).toContain(words);
  });

  it.each([
    ["a reaction", { type: "reaction", reaction: { message_id: "wamid.ours", emoji: "👍" } }],
    ["a sticker", { type: "sticker", sticker: { id: "3", mime_type: "image/webp", animated: false } }],
    ["a system notice", { type: "system", system: { body: "User changed number", type: "user_changed_number" } }],
  ])("ignores %s: recorded once, nothing sent", async (_name, message) => {
    const from = phone();
    const id = wamid();
    const res = await post(one(from, { id, ...message }));
    expect(await res.json()).toMatchObject({ messages: 0, duplicates: 0 });
    expect(graph.calls).toHaveLength(0);
    expect(await inboundGet(services.store, "whatsapp", id)).toMatchObject({ status: "done", note: "ignored" });
  });
});

describe("business-scoped user ids (BSUID)", () => {
  it("keys the user by user_id and still sends to the phone number when Meta gives it", async () => {
    const from = phone();
    const bsuid = `FR.${from}0042`;
    await post(waPayload([waMessages({ wa_id: from, user_id: bsuid }, [waText("Bonjour")])]));
    expect(await transcript(bsuid)).not.toBeNull();
    expect(await transcript(from)).toBeNull();
    expect(graph.calls[0]!.body).toMatchObject({ to: from });
    expect(graph.calls[0]!.body.recipient).toBeUndefined();
  });

  it("sends to the BSUID (recipient) when the number is hidden", async () => {
    const bsuid = `US.1349120865530${++phoneSeq}`;
    await post(waPayload([{ contacts: [{ profile: { name: "Anon" }, user_id: bsuid }], messages: [{ timestamp: nowSeconds(), ...waText("Bonjour") }] }]));
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.body).toMatchObject({ recipient: bsuid });
    expect(graph.calls[0]!.body.to).toBeUndefined();
  });
});

describe("status callbacks", () => {
  async function sentMessage() {
    const from = phone();
    const id = wamid();
    await post(one(from, waText("Bonjour", id)));
    const [row] = await outboundList(services.store, "whatsapp", { sourceKey: id });
    return { from, row: row! };
  }
  const statuses = (from: string, ...list: ReturnType<typeof waStatus>[]) => waPayload([{ statuses: list.map((s) => ({ ...s, recipient_id: from })) }]);
  const stored = async (sourceKey: string) => (await outboundList(services.store, "whatsapp", { sourceKey }))[0]!;

  it("move the stored message forward and never back (a late delivered after read)", async () => {
    const { from, row } = await sentMessage();
    const wid = row.provider_message_id!;
    expect(await (await post(statuses(from, waStatus(wid, "sent")))).json()).toMatchObject({ statuses: 1, messages: 0 });
    expect((await stored(row.source_key)).delivery_status).toBe("sent");
    await post(statuses(from, waStatus(wid, "read")));
    expect((await stored(row.source_key)).delivery_status).toBe("read");
    await post(statuses(from, waStatus(wid, "delivered")));
    expect((await stored(row.source_key)).delivery_status).toBe("read");
    // A duplicate status is recorded once.
    expect(await (await post(statuses(from, waStatus(wid, "read")))).json()).toMatchObject({ statuses: 0 });
    expect(graph.calls).toHaveLength(1);
  });

  it("record a failure with Meta's errors (and several statuses in one POST)", async () => {
    const { from, row } = await sentMessage();
    const wid = row.provider_message_id!;
    await post(statuses(from, waStatus(wid, "sent"), waStatus(wid, "failed")));
    const s = await stored(row.source_key);
    expect(s.delivery_status).toBe("failed");
    expect(s.delivery_error).toEqual([expect.objectContaining({ code: 131026, title: "Message undeliverable" })]);
    await post(statuses(from, waStatus(wid, "delivered")));
    expect((await stored(row.source_key)).delivery_status).toBe("delivered");
  });

  it("arriving before the send is recorded are applied when it is", async () => {
    const from = phone();
    const id = wamid();
    graph.answer(async (call) => {
      // Meta's 'sent' and 'delivered' overtake the Graph answer.
      await post(statuses(from, waStatus("wamid.EARLY", "sent"), waStatus("wamid.EARLY", "delivered")));
      return Response.json({ messaging_product: "whatsapp", contacts: [{ input: call.body.to, wa_id: call.body.to }], messages: [{ id: "wamid.EARLY" }] });
    });
    await post(one(from, waText("Bonjour", id)));
    expect(await stored(id)).toMatchObject({ status: "sent", provider_message_id: "wamid.EARLY", delivery_status: "delivered" });
  });

  it("for unknown message ids are recorded and acknowledged", async () => {
    const res = await post(statuses("33600000000", waStatus("wamid.NOT_OURS", "delivered")));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ statuses: 1 });
  });
});

describe("human mode", () => {
  it("keeps the bot silent while handed off and notifies the owner once", async () => {
    const from = phone();
    await post(one(from, waText("je veux parler à un humain")));
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.body.text.body).toContain("conseiller");
    expect((await transcript(from))!.mode).toBe("needs_human");

    await post(one(from, waText("vous êtes là ?")));
    await post(one(from, waText("allô ?")));
    await post(one(from, waImage())); // a photo for the human: stored, no polite answer either
    expect(graph.calls).toHaveLength(1);
    const t = await transcript(from);
    expect(t!.messages.filter((m) => m.role === "user").map((m) => m.content)).toEqual(["je veux parler à un humain", "vous êtes là ?", "allô ?"]);

    const notes = await notificationList(services.store, `handoff-inbound:whatsapp:${from}`);
    expect(notes.filter((n: { status: string }) => n.status !== "deduped" && n.status !== "skipped_not_configured")).toHaveLength(1);
  });
});
