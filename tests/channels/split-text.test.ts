/** splitText: messages within the platform limit, cut at the best boundary. */
import { describe, expect, it } from "vitest";
import { splitText } from "../../lib/channels/split-text.js";

describe("splitText", () => {
  it.each([
    ["short text: one part", "Bonjour !", 20, ["Bonjour !"]],
    ["exactly at the limit: one part", "a".repeat(20), 20, ["a".repeat(20)]],
    ["a sentence boundary", "Une phrase courte. Une autre phrase ici.", 25, ["Une phrase courte.", "Une autre phrase ici."]],
    ["a paragraph before a sentence", "Premier paragraphe.\n\nSecond. Fin du texte ici.", 30, ["Premier paragraphe.", "Second. Fin du texte ici."]],
    ["a space when there is no sentence end", "mot mot mot mot mot mot", 10, ["mot mot", "mot mot", "mot mot"]],
    ["a hard cut without any boundary", "x".repeat(25), 10, ["x".repeat(10), "x".repeat(10), "x".repeat(5)]],
    ["empty text: no part", "   ", 10, []],
  ])("%s", (_name, text, limit, expected) => {
    expect(splitText(text, limit)).toEqual(expected);
  });

  it("never splits an emoji (a surrogate pair)", () => {
    const parts = splitText("😀".repeat(15), 9);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(9);
      expect(p).toMatch(/^(😀)+$/u);
    }
    expect(parts.join("")).toBe("😀".repeat(15));
  });

  it("keeps every part within the limit and loses no words on long real text", () => {
    const text = Array.from({ length: 400 }, (_, i) => `Phrase numéro ${i}, avec une virgule; et la suite${i % 7 ? "." : "!"}`).join(" ");
    for (const limit of [2000, 4096, 333]) {
      const parts = splitText(text, limit);
      for (const p of parts) expect(p.length).toBeLessThanOrEqual(limit);
      expect(parts.join(" ")).toBe(text);
    }
  });
});
