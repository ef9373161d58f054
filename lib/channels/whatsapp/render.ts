/**
 * A Reply as WhatsApp messages (FACTS §1), in order:
 *   1. the text (with links as URLs), split at 4096 characters on sentence boundaries;
 *   2. each product as an image with a caption (name, price, link) — or as text when the image
 *      is not a JPEG/PNG URL Meta can fetch; Wix media is asked as a JPEG of at most 1000 px;
 *   3. the choices: 1–3 reply buttons (titles ≤ 20, unique, ids ≤ 256), or a list for 4–10
 *      (row titles ≤ 24 with the full title in the description ≤ 72, ids ≤ 200). The last text
 *      part becomes the interactive body when it fits (≤ 1024) and no product sits between.
 * The first part carries the approved template to use instead when the 24 h window is closed.
 */
import type { Lang } from "../../assistant/language.js";
import type { Reply, ReplyButton, ReplyProduct } from "../../assistant/types.js";
import { absoluteUrl, clip, distinctChoices, oneLine, productPrice, rasterImage, textWithLinks, uniqueTitles } from "../compose.js";
import { whatsappImageUrl } from "../../integrations/wix/image-url.js";
import { splitText } from "../split-text.js";
import { channelTexts } from "../texts.js";
import type { OutboundPart } from "../types.js";

export const WHATSAPP_LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  caption: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  listButton: 20,
  products: 10,
  templateParameter: 1000,
} as const;

export interface WhatsAppRenderOptions {
  lang: Lang;
  /** The shop's public URL, to make relative product links absolute. */
  baseUrl: string;
  /** The approved template (WHATSAPP_TEMPLATE_NAME) for a closed window, if any. */
  template?: { name: string; language: string } | null;
}

const hasUrl = (s: string) => /https?:\/\//i.test(s);

export function renderWhatsAppReply(reply: Reply, opts: WhatsAppRenderOptions): OutboundPart[] {
  const L = WHATSAPP_LIMITS;
  const text = textWithLinks(reply, opts.lang);
  const chunks = splitText(text, L.text);
  const products = (reply.products ?? []).slice(0, L.products);
  const choices = distinctChoices(reply.buttons, L.listRows, L.rowId);
  const asList = choices.length > L.buttons;
  const usable = asList ? choices : distinctChoices(reply.buttons, L.buttons, L.buttonId);

  let body: string | null = null;
  if (usable.length && !products.length && chunks.length && chunks[chunks.length - 1]!.length <= L.interactiveBody) body = chunks.pop()!;

  const parts: OutboundPart[] = chunks.map((c) => ({ kind: "text", body: { type: "text", text: { body: c, preview_url: hasUrl(c) } } }));
  for (const p of products) parts.push(productCard(p, opts));
  if (usable.length) parts.push(asList ? listMessage(usable, body, opts.lang) : buttonMessage(usable, body, opts.lang));

  if (parts.length && opts.template) parts[0]!.fallback = templateMessage(opts.template, text || products.map((p) => p.name).join(", "));
  return parts;
}

export function productCard(p: ReplyProduct, opts: Pick<WhatsAppRenderOptions, "lang" | "baseUrl">): OutboundPart {
  const t = channelTexts(opts.lang);
  const url = absoluteUrl(p.url, opts.baseUrl);
  const lines = [`*${p.name.trim()}*`, productPrice(p, opts.lang), p.inStock ? null : t.outOfStock, url].filter(Boolean) as string[];
  const caption = clip(lines.join("\n"), WHATSAPP_LIMITS.caption);
  // JPEG/PNG only, and Wix originals (up to 6000 px) through Wix's transform at <= 1000 px.
  const image = whatsappImageUrl(rasterImage(p.imageUrl, opts.baseUrl));
  return image
    ? { kind: "product", body: { type: "image", image: { link: image, caption } } }
    : { kind: "product", body: { type: "text", text: { body: caption, preview_url: !!url } } };
}

function buttonMessage(choices: ReplyButton[], body: string | null, lang: Lang): OutboundPart {
  const titles = uniqueTitles(choices.map((c) => c.title), WHATSAPP_LIMITS.buttonTitle);
  return {
    kind: "buttons",
    body: {
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: body ?? channelTexts(lang).choose },
        action: { buttons: choices.map((c, i) => ({ type: "reply", reply: { id: c.payload, title: titles[i] } })) },
      },
    },
  };
}

function listMessage(choices: ReplyButton[], body: string | null, lang: Lang): OutboundPart {
  const L = WHATSAPP_LIMITS;
  const titles = uniqueTitles(choices.map((c) => c.title), L.rowTitle);
  return {
    kind: "list",
    body: {
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: body ?? channelTexts(lang).choose },
        action: {
          button: clip(channelTexts(lang).listButton, L.listButton),
          sections: [
            {
              rows: choices.map((c, i) => ({
                id: c.payload,
                title: titles[i],
                // A clipped title is shown whole in the description.
                ...(titles[i] !== c.title.trim() ? { description: clip(c.title, L.rowDescription) } : {}),
              })),
            },
          ],
        },
      },
    },
  };
}

/**
 * The template sent instead of free-form messages outside the 24 h window. It is expected to
 * have exactly one body variable ({{1}}), which receives the reply as one line.
 */
export function templateMessage(template: { name: string; language: string }, summary: string): Record<string, unknown> {
  const line = oneLine(summary, WHATSAPP_LIMITS.templateParameter) || "…";
  return {
    type: "template",
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: "body", parameters: [{ type: "text", text: line }] }],
    },
  };
}
