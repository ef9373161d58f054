/**
 * The AI disclosure (EU AI Act art. 50, from 2 August 2026): the first reply of every
 * conversation, on every channel, starts by saying it comes from a virtual assistant, in the
 * conversation's language; the widget's header says it too (public/widget.js).
 */
import type { Lang } from "../assistant/language.js";
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
