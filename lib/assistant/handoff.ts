/**
 * What follows a hand-off, after the reply (waitUntil): the owner is notified once per
 * hand-off — by email (notify dedup key `handoff:<conversation>:<n>`), carrying the short
 * reference (#12) and a reply link scoped to this conversation (single use, 24 h), and on
 * their own WhatsApp (lib/owner/alert.ts: quote it or write "#12 …" to answer) — and the
 * transcript is archived in Google Drive when it is configured (archiveDocument never throws).
 * None of it blocks the shopper.
 */
import { channelTraits } from "../channels/traits.js";
import { archiveDocument } from "../integrations/drive/index.js";
import { notify } from "../notifications/index.js";
import { alertOwnerPhone } from "../owner/alert.js";
import { createReplyLink } from "../owner/links.js";
import type { Services } from "../services.js";
import { conversationTranscript, type Conversation, type TranscriptMessage } from "./conversation-store.js";

const TEXT = {
  fr: {
    subject: (ref: number, who: string) => `Conversation #${ref} à reprendre : ${who}`,
    body: "Un client demande à parler à quelqu'un. L'assistant ne répond plus dans cette conversation jusqu'à ce qu'elle lui soit rendue. Répondez depuis la boîte de réception (le lien ci-dessous l'ouvre, une seule fois, pendant 24 h).",
    answer: "Répondre", channel: "Canal", customer: "Client", reason: "Raison", last: "Dernier message", conversation: "Conversation", visitor: "visiteur du site",
  },
  en: {
    subject: (ref: number, who: string) => `Conversation #${ref} to take over: ${who}`,
    body: "A shopper asked to talk to someone. The assistant stays silent in this conversation until it is given back. Answer from the inbox (the link below opens it, once, for 24 hours).",
    answer: "Answer", channel: "Channel", customer: "Customer", reason: "Reason", last: "Last message", conversation: "Conversation", visitor: "website visitor",
  },
} as const;

export interface HandoffEvent {
  conversation: Pick<Conversation, "id" | "ref" | "channel" | "user_key" | "user_name" | "contact_email">;
  seq: number;
  reason: string;
  lastMessage: string;
}

/** Who the shopper is, for the owner: never the web session id (it would let anyone continue the chat). */
function who(c: HandoffEvent["conversation"], visitor: string): string {
  const name = c.user_name?.trim();
  const contact = c.contact_email ?? (channelTraits(c.channel).userKeyIdentifies ? c.user_key : null);
  return [name, contact].filter(Boolean).join(" · ") || visitor;
}

export async function afterHandoff(services: Services, e: HandoffEvent): Promise<void> {
  const t = TEXT[services.config.app.defaultLanguage];
  const c = e.conversation;
  let link: string | null = null;
  try {
    link = await createReplyLink(services, c.id);
  } catch (err) {
    services.log.error("handoff reply link not created", { conversationId: c.id, error: (err as Error).message });
  }
  try {
    await notify(services, {
      type: "handoff",
      dedupKey: `handoff:${c.id}:${e.seq}`,
      subject: t.subject(c.ref, who(c, t.visitor)),
      message: t.body,
      channels: ["email"],
      fields: {
        ...(link ? { [t.answer]: link } : {}),
        [t.channel]: c.channel,
        [t.customer]: who(c, t.visitor),
        [t.reason]: e.reason,
        [t.last]: e.lastMessage.slice(0, 1000),
        [t.conversation]: c.id,
      },
      ...(c.contact_email ? { replyTo: c.contact_email } : {}),
    });
  } catch (err) {
    services.log.error("handoff notification failed", { conversationId: c.id, error: (err as Error).message });
  }
  try {
    await alertOwnerPhone(services, { conversationId: c.id, ref: c.ref, customer: who(c, t.visitor), lastMessage: e.lastMessage, link });
  } catch (err) {
    services.log.error("handoff WhatsApp alert failed", { conversationId: c.id, error: (err as Error).message });
  }
  if (!services.config.drive.configured) return;
  try {
    const transcript = await conversationTranscript(services.store, c.id);
    if (!transcript) return;
    await archiveDocument(services, {
      kind: "transcript",
      id: `${c.id}-${e.seq}`,
      title: `${t.conversation} ${c.channel} ${transcript.conversation.created_at.slice(0, 10)} ${c.id.slice(0, 8)}`,
      markdown: transcriptMarkdown(transcript.conversation, transcript.messages, e.reason),
    });
  } catch (err) {
    services.log.error("handoff transcript not archived", { conversationId: c.id, error: (err as Error).message });
  }
}

export function transcriptMarkdown(c: Conversation, messages: TranscriptMessage[], reason: string): string {
  const lines = [`# Conversation ${c.id}`, "", `- Channel: ${c.channel}`, `- Started: ${c.created_at}`, `- Hand-off reason: ${reason}`];
  if (c.user_name) lines.push(`- Name: ${c.user_name}`);
  if (c.contact_email) lines.push(`- Email: ${c.contact_email}`);
  lines.push("");
  for (const m of messages) {
    const who = m.role === "user" ? "**Shopper**" : m.role === "owner" ? "**Shop**" : m.role === "system" ? "**System**" : "**Assistant**";
    const body = m.content || (m.payload ? `(button: ${m.payload})` : "");
    lines.push(`${who} (${m.created_at}):`, "", body.replace(/\n/g, "\n\n"), "");
    for (const l of m.reply?.links ?? []) lines.push(`- ${l.kind}: ${l.url}`);
  }
  return lines.join("\n");
}
