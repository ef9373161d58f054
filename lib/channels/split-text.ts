/**
 * Splits a long text into messages of at most `limit` characters (UTF-16 units, which never
 * undercount what Meta counts), cutting at the best boundary inside each window: a paragraph,
 * then a line, then the end of a sentence, then a space; a hard cut only when a window has
 * none (never inside a surrogate pair).
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError("limit must be at least 2");
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1); // the char after the window tells whether a cut at `limit` ends a word
    const cut = bestCut(window, limit);
    const head = rest.slice(0, cut).trimEnd();
    if (head) parts.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

function bestCut(window: string, limit: number): number {
  const floor = Math.floor(limit / 3); // a boundary too early would make many tiny messages
  const last = (re: RegExp): number => {
    let at = -1;
    for (const m of window.matchAll(re)) {
      const end = m.index + m[0].length;
      if (end <= limit + 1 && m.index > 0) at = Math.min(end, limit);
    }
    return at;
  };
  for (const re of [/\n\s*\n/g, /\n/g, /[.!?…](?:["»”')\]]*)\s/g, /[;:,]\s/g, /\s/g]) {
    const at = last(re);
    if (at > floor) return at;
  }
  let at = limit;
  const code = window.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at--; // keep a surrogate pair together
  return at;
}
