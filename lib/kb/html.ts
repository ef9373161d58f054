/**
 * HTML to the Markdown-like text the chunker reads: headings become `#` lines, list items
 * `- ` lines, table cells ` | `-separated rows, paragraphs blank-line separated; scripts,
 * styles, navigation and comments dropped; entities decoded.
 */
import { decodeEntities } from "../shop/text.js";

export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style|noscript|template|nav|svg|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, " ");
  const body = /<body\b[^>]*>([\s\S]*)<\/body\s*>/i.exec(s);
  if (body) s = body[1]!;
  const title = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1];
  s = s
    .replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_, level: string, inner: string) => `\n\n${"#".repeat(Number(level))} ${inline(inner)}\n\n`)
    .replace(/<li\b[^>]*>/gi, "\n- ")
    .replace(/<\/(td|th)\s*>/gi, " | ")
    .replace(/<\/tr\s*>/gi, "\n")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/?(p|div|section|article|ul|ol|table|thead|tbody|blockquote|header|footer|main|aside|dl|dt|dd|figure|figcaption)\b[^>]*>/gi, "\n\n")
    .replace(/<[^>]*>/g, "");
  s = decodeEntities(s)
    .split("\n")
    .map((l) => l.replace(/[ \t\u00a0]+/g, " ").replace(/\s*\|\s*$/, "").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (title && !/^#\s/.test(s)) s = `# ${inline(title)}\n\n${s}`;
  return s;
}

function inline(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
}
