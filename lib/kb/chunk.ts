/**
 * Documents to chunks. Markdown, plain text and HTML are read as sections under their heading
 * path ("Livraison > Délais de livraison"); a long section is cut on paragraphs, then on
 * sentences, so a chunk stays under `maxChars` and each one carries its headings (the search
 * and the model see where a passage comes from). The content hash makes ingestion idempotent.
 */
import { createHash } from "node:crypto";
import { detectLanguage, type Lang } from "../assistant/language.js";
import { htmlToText } from "./html.js";

export interface Chunk {
  position: number;
  heading: string;
  content: string;
  hash: string;
  language: Lang | null;
}

export const KB_EXTENSIONS = [".md", ".markdown", ".txt", ".html", ".htm"] as const;
const DEFAULT_MAX = 900;

export function chunkDocument(fileName: string, raw: string, opts: { maxChars?: number } = {}): Chunk[] {
  const max = opts.maxChars ?? DEFAULT_MAX;
  const ext = fileName.toLowerCase().replace(/^.*(\.[a-z]+)$/, "$1");
  const text = ext === ".html" || ext === ".htm" ? htmlToText(raw) : ext === ".txt" ? textToMarkdown(raw) : raw;
  const sections = splitSections(stripFrontMatter(text.replace(/\r\n?/g, "\n")), titleFromName(fileName));
  const chunks: Chunk[] = [];
  for (const s of sections) {
    for (const piece of pack(s.paragraphs, max)) {
      const heading = s.path.join(" > ");
      chunks.push({
        position: chunks.length,
        heading,
        content: piece,
        hash: createHash("sha256").update(`${heading}\n${piece}`).digest("hex").slice(0, 32),
        language: detectLanguage(`${heading} ${piece}`),
      });
    }
  }
  return chunks;
}

function titleFromName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ").trim();
  return base ? base[0]!.toUpperCase() + base.slice(1) : "Document";
}

function stripFrontMatter(text: string): string {
  return text.replace(/^---\n[\s\S]*?\n---\n/, "");
}

/** Plain text: a short first line is the title; the rest stays as paragraphs. */
function textToMarkdown(raw: string): string {
  const lines = raw.replace(/\r\n?/g, "\n").split("\n");
  const first = lines.findIndex((l) => l.trim());
  if (first >= 0) {
    const t = lines[first]!.trim();
    if (t.length <= 80 && !/[.!?]$/.test(t)) lines[first] = `# ${t.replace(/:$/, "")}`;
  }
  // A short line ending with ":" followed by text reads as a sub-heading.
  return lines.map((l, i) => (i !== first && /^[^\s-].{1,60}:$/.test(l.trim()) ? `## ${l.trim().slice(0, -1)}` : l)).join("\n");
}

interface Section { path: string[]; paragraphs: string[] }

function splitSections(text: string, fallbackTitle: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let current: Section = { path: [fallbackTitle], paragraphs: [] };
  let para: string[] = [];
  let inFence = false;
  const flushPara = () => {
    const p = para.join("\n").trim();
    if (p) current.paragraphs.push(cleanInline(p));
    para = [];
  };
  const flushSection = () => {
    flushPara();
    if (current.paragraphs.length) sections.push(current);
  };
  for (const line of text.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const h = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (h) {
      flushSection();
      const level = h[1]!.length;
      path.length = Math.min(path.length, level - 1);
      while (path.length < level - 1) path.push(path.length === 0 ? fallbackTitle : "");
      path.push(cleanInline(h[2]!));
      current = { path: path.filter(Boolean), paragraphs: [] };
      continue;
    }
    if (!line.trim() && !inFence) flushPara();
    else para.push(line);
  }
  flushSection();
  return sections;
}

/** Markdown inline markup to plain text: links keep their URL, emphasis and code marks go. */
function cleanInline(s: string): string {
  if (/^\s*(```|~~~)/m.test(s)) return s.trim(); // code stays as written
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^\s*>\s?/gm, "")
    .replace(/[ \t]+/g, " ")
    .trim();
}

/** Paragraphs packed into pieces of at most `max` characters (long ones cut on sentences). */
function pack(paragraphs: string[], max: number): string[] {
  const units = paragraphs.flatMap((p) => (p.length <= max ? [p] : splitLong(p, max)));
  const out: string[] = [];
  let cur = "";
  for (const u of units) {
    if (cur && cur.length + 2 + u.length > max) {
      out.push(cur);
      cur = u;
    } else cur = cur ? `${cur}\n\n${u}` : u;
  }
  if (cur) out.push(cur);
  return out;
}

function splitLong(p: string, max: number): string[] {
  const sentences = p.match(/[^.!?\n]+(?:[.!?]+|\n|$)/g)?.map((s) => s.trim()).filter(Boolean) ?? [p];
  const out: string[] = [];
  let cur = "";
  for (const s of sentences) {
    const parts = s.length <= max ? [s] : (s.match(new RegExp(`.{1,${max}}(\\s|$)`, "g")) ?? [s]).map((x) => x.trim());
    for (const part of parts) {
      if (cur && cur.length + 1 + part.length > max) {
        out.push(cur);
        cur = part;
      } else cur = cur ? `${cur} ${part}` : part;
    }
  }
  if (cur) out.push(cur);
  return out;
}
