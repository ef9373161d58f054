/**
 * A Reply as Messenger messages (FACTS §2), in order: the text (links as URLs) split at 2000
 * characters on sentence boundaries; the products as one generic template (≤ 10 cards: title
 * and subtitle ≤ 80, image when it is a JPEG/PNG URL, a "View product" URL button); the choices
 * as quick replies (≤ 13, titles ≤ 20, payloads ≤ 1000) on the last text — or on a short prompt
 * after the cards. Every part is `messaging_type: RESPONSE` (UPDATE for messages we start;
 * MESSAGE_TAG with `tag: HUMAN_AGENT` for a person's reply after the 24 h window).
 */
import type { Lang } from "../../assistant/language.js";
import type { Reply, ReplyProduct } from "../../assistant/types.js";
import { absoluteUrl, clip, distinctChoices, productPrice, rasterImage, textWithLinks, uniqueTitles } from "../compose.js";
import { splitText } from "../split-text.js";
import { channelTexts } from "../texts.js";
import type { OutboundPart } from "../types.js";

export const MESSENGER_LIMITS = {
  text: 2000,
  quickReplies: 13,
  quickReplyTitle: 20,
  quickReplyPayload: 1000,
  elements: 10,
  elementTitle: 80,
  elementSubtitle: 80,
  buttonTitle: 20,
} as const;

export interface MessengerRenderOptions {
  lang: Lang;
  baseUrl: string;
  /**
   * RESPONSE (a reply), UPDATE (a message we start, e.g. an order confirmation) or MESSAGE_TAG
   * (a person's reply after the 24 h window, tagged HUMAN_AGENT).
   */
  messagingType?: "RESPONSE" | "UPDATE" | "MESSAGE_TAG";
}

export function renderMessengerReply(reply: Reply, opts: MessengerRenderOptions): OutboundPart[] {
  const L = MESSENGER_LIMITS;
  const messagingType = opts.messagingType ?? "RESPONSE";
  const tag = messagingType === "MESSAGE_TAG" ? { tag: "HUMAN_AGENT" } : {};
  const wrap = (kind: string, message: Record<string, unknown>): OutboundPart => ({ kind, body: { messaging_type: messagingType, ...tag, message } });

  const chunks = splitText(textWithLinks(reply, opts.lang), L.text);
  const products = (reply.products ?? []).slice(0, L.elements);
  const choices = distinctChoices(reply.buttons, L.quickReplies, L.quickReplyPayload);
  const titles = uniqueTitles(choices.map((c) => c.title), L.quickReplyTitle);
  const quickReplies = choices.map((c, i) => ({ content_type: "text", title: titles[i], payload: c.payload }));

  const parts: OutboundPart[] = [];
  const last = !products.length && quickReplies.length ? chunks.pop() : undefined;
  for (const c of chunks) parts.push(wrap("text", { text: c }));
  if (products.length) parts.push(wrap("generic", genericTemplate(products, opts)));
  if (quickReplies.length) parts.push(wrap("quick_replies", { text: last ?? channelTexts(opts.lang).choose, quick_replies: quickReplies }));
  return parts;
}

function genericTemplate(products: ReplyProduct[], opts: MessengerRenderOptions): Record<string, unknown> {
  const L = MESSENGER_LIMITS;
  const t = channelTexts(opts.lang);
  return {
    attachment: {
      type: "template",
      payload: {
        template_type: "generic",
        elements: products.map((p) => {
          const url = absoluteUrl(p.url, opts.baseUrl);
          const image = rasterImage(p.imageUrl, opts.baseUrl);
          const subtitle = [productPrice(p, opts.lang), p.inStock ? null : t.outOfStock].filter(Boolean).join(" · ");
          return {
            title: clip(p.name, L.elementTitle),
            subtitle: clip(subtitle, L.elementSubtitle),
            ...(image ? { image_url: image } : {}),
            ...(url
              ? { default_action: { type: "web_url", url }, buttons: [{ type: "web_url", url, title: clip(t.viewProduct, L.buttonTitle) }] }
              : {}),
          };
        }),
      },
    },
  };
}
