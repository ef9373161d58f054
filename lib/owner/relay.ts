/**
 * Answering from the phone: a WhatsApp message from ADMIN_PHONE (digits compared; any other
 * number is a shopper, whatever it writes) to the business number is the owner's command:
 *   quoting a hand-off alert (context.id = the alert's wamid), or starting "#12 ":
 *     "#12 bot"                 -> give the conversation back to the assistant;
 *     "#12 fin" / "#12 close"   -> close it;
 *     "#12 <text>", or a quote  -> relay <text> to that shopper on their channel;
 *   anything else               -> a one-line help.
 * Every message from the owner also records their own 24 h window (for the next alerts).
 */
import { metaClient, phoneDigits } from "../integrations/meta/index.js";
import type { Services } from "../services.js";
import { deliverEvents, deliverToShopper } from "./delivery.js";
import { deliveryPolicy, type ReplyResult, type StateResult } from "./store.js";
import { PHONE_TEXT, authorName, shopperLines } from "./texts.js";

/** True when `phone` is ADMIN_PHONE (digits only; at least 6 of them). */
export function isOwnerPhone(services: Pick<Services, "config">, phone: string | null | undefined): boolean {
  const admin = services.config.notifications.adminPhone;
  if (!admin || !phone) return false;
  const a = phoneDigits(admin);
  return a.length >= 6 && a === phoneDigits(phone);
}

export type OwnerCommand =
  | { action: "reply"; ref: number | null; text: string }
  | { action: "release" | "close"; ref: number | null }
  | { action: "help"; ref: number | null };

const RELEASE = /^(bot|assistant|robot)$/i;
const CLOSE = /^(fin|close|closed|ferme|fermer|fermée|end)$/i;

/** Reads the owner's message; `quoted`: it quotes an alert. */
export function parseOwnerCommand(text: string, quoted: boolean): OwnerCommand {
  const body = text.trim();
  const m = /^#(\d{1,12})(?:\s+([\s\S]*))?$/.exec(body);
  const ref = m ? Number(m[1]) : null;
  const rest = (m ? (m[2] ?? "") : body).trim();
  if (!m && !quoted) return { action: "help", ref: null };
  if (!rest) return { action: "help", ref };
  if (RELEASE.test(rest)) return { action: "release", ref };
  if (CLOSE.test(rest)) return { action: "close", ref };
  return { action: "reply", ref, text: rest.slice(0, 4000) };
}

interface RelayResult {
  status: "ok" | "unknown_conversation" | "recorded";
  action?: "reply" | "release" | "close";
  result?: (ReplyResult | StateResult) & { error?: string };
}

/** Handles one message from the owner's phone. Never answers as the assistant. */
export async function relayOwnerMessage(services: Services, ownerUserId: string, contextId: string | null, text: string): Promise<void> {
  const t = PHONE_TEXT[services.config.app.defaultLanguage];
  const phone = phoneDigits(services.config.notifications.adminPhone ?? ownerUserId);
  const cmd = parseOwnerCommand(text, contextId !== null);
  const refLabel = cmd.ref !== null ? `#${cmd.ref}` : "";
  const r = await services.store.rpc<RelayResult>("owner_relay", {
    p_phone: phone,
    p_context_id: contextId,
    p_ref: cmd.ref,
    p_action: cmd.action,
    p_text: cmd.action === "reply" ? cmd.text : null,
    p_author: authorName(services.config),
    p_policy: deliveryPolicy(services),
    p_lines: shopperLines(services.config),
    p_default_lang: services.config.app.defaultLanguage,
  });
  if (r.status === "recorded") return tellOwner(services, phone, t.help);
  if (r.status === "unknown_conversation") return tellOwner(services, phone, t.unknown(refLabel || "?"));
  const result = r.result!;
  if (result.error === "window_closed") return tellOwner(services, phone, t.windowClosed(refLabel));
  if (result.error) return tellOwner(services, phone, t.unknown(refLabel || "?"));
  if (r.action === "reply") {
    const reply = result as ReplyResult;
    await deliverToShopper(services, reply.conversation, reply.messages, { delivery: reply.delivery, sender: "owner" });
  } else {
    const state = result as StateResult;
    if (state.event) await deliverEvents(services, [state.event]);
  }
}

/** One line back to the owner (their window is open: they just wrote). Sent once; failures logged. */
async function tellOwner(services: Services, phone: string, text: string): Promise<void> {
  if (!services.config.whatsapp.configured) return;
  try {
    await metaClient(services).whatsapp.send({ to: phone }, { type: "text", text: { body: text, preview_url: false } }, { retryInline: false });
  } catch (err) {
    services.log.warn("message to the owner's phone not sent", { error: (err as Error)?.message });
  }
}
