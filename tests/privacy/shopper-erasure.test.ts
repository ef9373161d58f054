/**
 * The shopper's own "delete my conversation", through the real channels: a signed WhatsApp
 * webhook ("supprimer mes données", then "oui"), Messenger, and the widget's chat route (its
 * button payloads); the confirmation step; French and English; and the AI disclosure on the
 * first reply of every channel (WhatsApp and Messenger in the message, the widget in its header).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as chatPOST } from "../../api/chat.js";
import { POST as msPOST } from "../../api/messenger-webhook.js";
import { POST as waPOST } from "../../api/whatsapp-webhook.js";
import { leadGet } from "../../lib/leads/index.js";
import { consentTexts } from "../../lib/leads/consent.js";
import { isEraseRequest, yesOrNo } from "../../lib/privacy/intent.js";
import { privacyTexts } from "../../lib/privacy/texts.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useGraph } from "../channels/graph-double.js";
import { META_ENV, msMessage, msPayload, signedPost, waButtonReply, waMessages, waPayload, waText } from "../channels/meta-fixtures.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";

const server = useMsw();
const graph = useGraph(server);
let services: Services;
let seq = 0;
const phone = () => `3367${String(1_000_000 + ++seq).padStart(7, "0")}`;
const BRAND = "Comptoir";
const FR = privacyTexts("fr");
const EN = privacyTexts("en");

beforeAll(async () => {
  services = await createTestServices({ ...META_ENV, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-privacy-")) });
});
afterAll(() => services.store.close());
beforeEach(() => {
  graph.reset();
  graph.install();
});

const wa = (from: string, message: Record<string, unknown>) => waPOST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from, name: "Marie" }, [message])])));
/** The text of the n-th Graph call (a text message's body, or an interactive message's body text). */
const sentText = (i: number) => {
  const b = graph.calls[i]!.body as { text?: { body: string }; interactive?: { body: { text: string } }; message?: { text?: string; attachment?: { payload: { text: string } } } };
  return b.text?.body ?? b.interactive?.body.text ?? b.message?.text ?? b.message?.attachment?.payload.text ?? "";
};
const db = () => (services.store as PgliteStore).db;
const conversationOf = (channel: string, userKey: string) =>
  services.store.rpc<{ id: string } | null>("chat_conversation_get", { p_channel: channel, p_user_key: userKey });

describe("what counts as a request to erase", () => {
  it.each([
    "supprimer mes données",
    "Supprimez toutes mes données svp",
    "je veux effacer cette conversation",
    "Pouvez-vous effacer mon historique ?",
    "droit à l'oubli",
    "oubliez-moi",
    "delete my data",
    "Please erase this conversation",
    "remove all my messages",
    "forget me",
  ])("understands %j", (text) => expect(isEraseRequest(text)).toBe(true));

  it.each([
    "comment supprimer un article de mon panier ?",
    "j'ai oublié mon mot de passe",
    "je voudrais annuler ma commande",
    "how do I remove an item from my cart?",
    "Bonjour",
    "la livraison est supprimée ?",
  ])("does not mistake %j for one", (text) => expect(isEraseRequest(text)).toBe(false));

  it.each([
    ["oui", "yes"],
    ["Oui, supprimer", "yes"],
    ["yes please", "yes"],
    ["je confirme", "yes"],
    ["non", "no"],
    ["no thanks", "no"],
    ["non merci", "no"],
    ["oui mais non", null],
    ["peut-être", null],
  ])("reads %j as %s", (text, answer) => expect(yesOrNo(text)).toBe(answer));
});

describe("on WhatsApp, through the signed webhook", () => {
  it("says it is a virtual assistant in the first reply only", async () => {
    const from = phone();
    await wa(from, waText("Bonjour"));
    await wa(from, waText("Avez-vous des bougies ?"));
    expect(sentText(0).startsWith(FR.disclosure(BRAND))).toBe(true);
    expect(graph.calls.slice(1).map((_, i) => sentText(i + 1)).join("\n")).not.toContain(FR.disclosure(BRAND));
  });

  it("asks to confirm 'supprimer mes données', then erases the conversation on 'oui' and says so", async () => {
    const from = phone();
    await wa(from, waText("Bonjour, je suis au 12 rue des Lilas"));
    const conv = await conversationOf("whatsapp", from);
    expect(conv).not.toBeNull();

    await wa(from, waText("supprimer mes données"));
    const ask = graph.calls.at(-1)!.body as { type: string; interactive: { body: { text: string }; action: { buttons: { reply: { id: string } }[] } } };
    expect(ask.type).toBe("interactive");
    expect(ask.interactive.body.text).toBe(FR.eraseQuestion);
    expect(ask.interactive.action.buttons.map((b) => b.reply.id)).toEqual(["privacy:erase:confirm", "privacy:erase:cancel"]);
    // Asking erases nothing.
    expect(await conversationOf("whatsapp", from)).toEqual(expect.objectContaining({ id: conv!.id }));

    const calls = graph.calls.length;
    await wa(from, waText("oui"));
    expect(graph.calls).toHaveLength(calls + 1);
    expect(sentText(calls)).toBe(FR.erased);
    expect(await conversationOf("whatsapp", from)).toBeNull();
    const left = await db().query("select count(*)::int n from chat_message m join chat_conversation c on c.id = m.conversation_id where c.user_key = $1", [from]);
    expect(left.rows).toEqual([{ n: 0 }]);
    const inbound = await db().query("select count(*)::int n from channel_inbound where user_id = $1 and message::text ilike '%rue des Lilas%'", [from]);
    expect(inbound.rows).toEqual([{ n: 0 }]);

    // Talking again starts a new conversation, disclosed again.
    const before = graph.calls.length;
    await wa(from, waText("Bonjour"));
    expect(sentText(before).startsWith(FR.disclosure(BRAND))).toBe(true);
  });

  it("keeps everything when the shopper presses 'No' (in English)", async () => {
    const from = phone();
    await wa(from, waText("Hello, do you ship to Belgium?"));
    await wa(from, waText("Please delete my conversation"));
    expect(sentText(graph.calls.length - 1)).toBe(EN.eraseQuestion);
    await wa(from, waButtonReply("privacy:erase:cancel", EN.eraseNo));
    expect(sentText(graph.calls.length - 1)).toBe(EN.eraseCancelled);
    const conv = await conversationOf("whatsapp", from);
    const t = await services.store.rpc<{ messages: { content: string }[] }>("chat_transcript", { p_conversation_id: conv!.id });
    expect(t.messages.map((m) => m.content)).toContain("Hello, do you ship to Belgium?");
  });

  it("does not erase on a stray 'oui' that answers something else", async () => {
    const from = phone();
    await wa(from, waText("Bonjour"));
    await wa(from, waText("oui"));
    expect(await conversationOf("whatsapp", from)).not.toBeNull();
  });

  it("asks for marketing consent after saving a lead, and records the answer with the question's exact words", async () => {
    const from = phone();
    await wa(from, waText("Bonjour, rappelez-moi : marie.lilas@example.fr"));
    const question = consentTexts("fr", BRAND).question;
    const asked = graph.calls.at(-1)!.body as { interactive?: { body: { text: string }; action: { buttons: { reply: { id: string } }[] } } };
    expect(asked.interactive?.body.text).toContain(question);
    expect(asked.interactive?.action.buttons.map((b) => b.reply.id)).toEqual(["consent:yes", "consent:no"]);

    await wa(from, waButtonReply("consent:yes", consentTexts("fr", BRAND).yes));
    expect(sentText(graph.calls.length - 1)).toBe(consentTexts("fr", BRAND).recordedYes);
    const lead = (await db().query<{ id: string }>("select id from app_lead where email_key = 'marie.lilas@example.fr'")).rows[0]!;
    const stored = await leadGet(services.store, lead.id);
    expect(stored?.lead).toMatchObject({ consent: true, consent_text: question, consent_channel: "whatsapp", consent_language: "fr" });
    expect(stored?.consents).toMatchObject([{ consent: true, wording: question, channel: "whatsapp", language: "fr" }]);
  });
});

describe("on Messenger", () => {
  it("says it is a virtual assistant in the first reply", async () => {
    const psid = `psid-${++seq}`;
    await msPOST(signedPost("/api/messenger-webhook", msPayload([msMessage(psid, { text: "Hello" })])));
    expect(graph.calls).toHaveLength(1);
    expect(sentText(0).startsWith(EN.disclosure(BRAND))).toBe(true);
  });
});

describe("in the web widget", () => {
  const chat = async (body: Record<string, unknown>) => (await (await chatPOST(req("/api/chat", { method: "POST", body }))).json()) as { sessionId: string; reply: { text: string; buttons: { payload: string }[] } };

  it("says it is a virtual assistant in its header (always visible), in both languages", () => {
    const widget = readFileSync("public/widget.js", "utf8");
    expect(widget).toContain("Assistant virtuel (IA)");
    expect(widget).toContain("Virtual assistant (AI)");
  });

  it("erases the session's conversation from its button, after the confirmation", async () => {
    const first = await chat({ message: "Bonjour, je cherche une robe" });
    expect(first.reply.text).not.toContain(FR.disclosure(BRAND));
    const ask = await chat({ sessionId: first.sessionId, message: "", payload: "privacy:erase" });
    expect(ask.reply.text).toBe(FR.eraseQuestion);
    expect(ask.reply.buttons.map((b) => b.payload)).toEqual(["privacy:erase:confirm", "privacy:erase:cancel"]);
    const done = await chat({ sessionId: first.sessionId, message: "", payload: "privacy:erase:confirm" });
    expect(done.reply.text).toBe(FR.erased);
    expect(await conversationOf("web", first.sessionId)).toBeNull();
  });

  it("asks again, and erases nothing, when the confirmation arrives without the question before it", async () => {
    const first = await chat({ message: "Bonjour" });
    const r = await chat({ sessionId: first.sessionId, message: "", payload: "privacy:erase:confirm" });
    expect(r.reply.text).toBe(FR.eraseQuestion);
    expect(await conversationOf("web", first.sessionId)).not.toBeNull();
  });
});
