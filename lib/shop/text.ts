/**
 * Text helpers shared by both shops: HTML descriptions to short plain text, and the
 * normalised form of a search used as a cache key.
 */

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ",
  eacute: "é", egrave: "è", ecirc: "ê", euml: "ë", agrave: "à", aacute: "á", acirc: "â", auml: "ä",
  ccedil: "ç", icirc: "î", iuml: "ï", iacute: "í", ocirc: "ô", ouml: "ö", oacute: "ó", ugrave: "ù",
  ucirc: "û", uuml: "ü", uacute: "ú", yuml: "ÿ", oelig: "œ", aelig: "æ", ntilde: "ñ", szlig: "ß",
  Eacute: "É", Egrave: "È", Ecirc: "Ê", Agrave: "À", Acirc: "Â", Ccedil: "Ç", Icirc: "Î", Ocirc: "Ô",
  Ucirc: "Û", OElig: "Œ", AElig: "Æ",
  laquo: "«", raquo: "»", lsquo: "‘", rsquo: "’", sbquo: "‚", ldquo: "“", rdquo: "”", bdquo: "„",
  hellip: "…", ndash: "–", mdash: "—", euro: "€", pound: "£", copy: "©", reg: "®", trade: "™",
  deg: "°", times: "×", middot: "·", bull: "•", shy: "", thinsp: " ", ensp: " ", emsp: " ", zwnj: "", zwj: "",
};

function codePoint(n: number): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : "\uFFFD";
}

/** Decodes named (common ones) and numeric HTML entities; unknown names are left as they are. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref[0] === "#") return codePoint(ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? whole;
  });
}

/** HTML (or plain text) to one line of plain text: tags removed, entities decoded, spaces collapsed. */
export function plainText(html: string | null | undefined): string {
  if (!html) return "";
  const noTags = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<\/?(br|p|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|section|article)\b[^>]*>/gi, " ")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(noTags).replace(/\s+/g, " ").trim();
}

/** At most `max` characters (code points), cut on a word boundary with an ellipsis when shortened. */
export function summarize(text: string, max = 150): string {
  const chars = Array.from(text.trim());
  if (chars.length <= max) return chars.join("");
  const head = chars.slice(0, max - 1).join(""); // room for "…"
  const lastSpace = head.lastIndexOf(" ");
  const cut = lastSpace >= Math.floor(max / 3) ? head.slice(0, lastSpace) : head;
  return `${cut.replace(/[\s,;:.\-–—(«"']+$/u, "")}…`;
}

/** A product description as the Product type wants it: plain text, at most 150 characters. */
export function shortDescription(html: string | null | undefined): string {
  return summarize(plainText(html), 150);
}

/** The normalised form of a search text (cache keys): trimmed, lower-case, single spaces. */
export function normaliseSearchText(s: string | null | undefined): string {
  return (s ?? "").normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ");
}

/** Lower-case without accents, for loose name matching (collections, categories). */
export function foldText(s: string): string {
  return normaliseSearchText(s)
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
}
