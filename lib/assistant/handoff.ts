/**
 * What follows a hand-off, after the reply (waitUntil): the owner is notified once per
 * hand-off (notify dedup key `handoff:<conversation>:<n>`), and the transcript is archived in
 * Google Drive when it is configured (archiveDocument never throws). Neither blocks the shopper.
 */
import { channelAdapter } from "../channels/registry.js";
import { archiveDocument } from "../integrations/drive/index.js";
import { notify } from "../notifications/index.js";
import type { Services } from "../services.js";
import { conversationTranscript, type Conversation, type TranscriptMessage } from "./conversation-store.js";

const TEXT = {
  fr: {
    subject: (who: string) => `Conversation à reprendre : ${who}`,
    body: "Un client demande à parler à quelqu'un. L'assistant ne répond plus dans cette conversation jusqu'à ce qu'elle lui soit rendue.",
    channel: "Canal", customer: "Client", reason: "Raison", last: "Dernier message", conversation: "Conversation", visitor: "visiteur du site",
  },
  en: {
    subject: (who: string) => `Conversation to take over: ${who}`,
    body: "A shopper asked to talk to someone. The assistant stays silent in this conversation until it is released.",
    channel: "Channel", customer: "Customer", reason: "Reason", last: "Last message", conversation: "Conversation", visitor: "website visitor",
  },
} as const;

export interface HandoffEvent {
  conversation: Pick<Conversation, "id" | "channel" | "user_key" | "user_name" | "contact_email">;
  seq: number;
  reason: string;
  lastMessage: string;
}

/** Who the shopper is, for the owner: never the web session id (it would let anyone continue the chat). */
function who(c: HandoffEvent["conversation"], visitor: string): string {
  const name = c.user_name?.trim();
  const contact = c.contact_email ?? (channelAdapter(c.channel).userKeyIdentifies ? c.user_key : null);
  return [name, contact].filter(Boolean).join(" · ") || visitor;
}

export async function afterHandoff(services: Services, e: HandoffEvent): Promise<void> {
  const t = TEXT[services.config.app.defaultLanguage];
  const c = e.conversation;
  try {
    await notify(services, {
      type: "handoff",
      dedupKey: `handoff:${c.id}:${e.seq}`,
      subject: t.subject(who(c, t.visitor)),
      message: t.body,
      fields: {
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
    const who = m.role === "user" ? "**Shopper**" : "**Assistant**";
    const body = m.content || (m.payload ? `(button: ${m.payload})` : "");
    lines.push(`${who} (${m.created_at}):`, "", body.replace(/\n/g, "\n\n"), "");
    for (const l of m.reply?.links ?? []) lines.push(`- ${l.kind}: ${l.url}`);
  }
  return lines.join("\n");
}
