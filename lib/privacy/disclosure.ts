/**
 * The AI disclosure (EU AI Act art. 50, from 2 August 2026), where each channel's adapter says
 * (`aiDisclosure`): the web widget's header (public/widget.js, always visible), or the first
 * reply of the conversation (WhatsApp, Messenger), in the conversation's language.
 */
import type { Lang } from "../assistant/language.js";
import type { Channel } from "../assistant/types.js";
import { channelTraits } from "../channels/traits.js";
import { privacyTexts } from "./texts.js";

export function disclosureLine(lang: Lang, brand: string): string {
  return privacyTexts(lang).disclosure(brand);
}

/** The reply text, with the disclosure first when it opens the conversation. */
export function withDisclosure(text: string, o: { firstReply: boolean; lang: Lang; brand: string }): string {
  if (!o.firstReply) return text;
  const line = disclosureLine(o.lang, o.brand);
  return text.startsWith(line) ? text : `${line}\n\n${text}`;
}

/** Whether this channel's first reply must carry the disclosure (the channel's traits say). */
export function disclosesInFirstReply(channel: Channel): boolean {
  return channelTraits(channel).aiDisclosure === "first_reply";
}
