/**
 * Pieces of a Reply every channel renders the same way: the text with its links (a checkout link
 * is sent as text with the URL), product prices, unique short titles, absolute URLs, and the
 * one-line summary a WhatsApp template carries outside the 24 h window.
 */
import { clip } from "../assistant/format.js";
import { formatPrice } from "../money/index.js";
import type { Lang } from "../assistant/language.js";
import type { Reply, ReplyButton, ReplyProduct } from "../assistant/types.js";
import { channelTexts } from "./texts.js";

/** The reply's text followed by each link not already in it ("Payer : https://…"). */
export function textWithLinks(reply: Pick<Reply, "text" | "links">, lang: Lang): string {
  const t = channelTexts(lang);
  let text = reply.text.trim();
  for (const link of reply.links ?? []) {
    if (!/^https?:\/\//i.test(link.url) || text.includes(link.url)) continue;
    text += `${text ? "\n\n" : ""}${link.title ? `${link.title}${t.linkSep}` : ""}${link.url}`;
  }
  return text;
}

/** "19,90 €" or "19,90 € (au lieu de 24,90 €)". */
export function productPrice(p: ReplyProduct, lang: Lang): string {
  const now = formatPrice(p.price, p.currency, lang);
  return p.originalPrice ? `${now} (${channelTexts(lang).was(formatPrice(p.originalPrice, p.currency, lang))})` : now;
}

/** An absolute http(s) URL, resolving a relative one against the shop's public URL. */
export function absoluteUrl(url: string | null | undefined, base: string): string | null {
  if (!url) return null;
  try {
    const u = new URL(url, `${base.replace(/\/+$/, "")}/`);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Meta renders JPEG and PNG product images; an SVG or unknown format is left out. */
export function rasterImage(url: string | null, base: string): string | null {
  const abs = absoluteUrl(url, base);
  if (!abs) return null;
  return /\.svg(\?|#|$)/i.test(new URL(abs).pathname + new URL(abs).search) ? null : abs;
}

/** Buttons with distinct payloads, at most `max`. */
export function distinctChoices(buttons: ReplyButton[] | undefined, max: number, maxPayload: number): ReplyButton[] {
  const seen = new Set<string>();
  const out: ReplyButton[] = [];
  for (const b of buttons ?? []) {
    if (!b.payload || b.payload.length > maxPayload || seen.has(b.payload) || !b.title.trim()) continue;
    seen.add(b.payload);
    out.push(b);
    if (out.length === max) break;
  }
  return out;
}

/** Titles clipped to `max` characters and made unique ("Taille M", "Taille M 2"). */
export function uniqueTitles(titles: string[], max: number): string[] {
  const used = new Set<string>();
  return titles.map((title) => {
    let t = clip(title, max);
    for (let n = 2; used.has(t.toLowerCase()); n++) t = `${clip(title, max - String(n).length - 1)} ${n}`;
    used.add(t.toLowerCase());
    return t;
  });
}

/** One line of at most `max` characters (template parameters allow no newlines or tabs). */
export function oneLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, " ").trim(), max);
}

export { clip };
