/**
 * Knowledge-base ingestion: chunking of Markdown, HTML and text (headings kept), embeddings
 * through the HF feature-extraction double (request shape, batches, dimension check),
 * idempotence by content hash, edits and removals, and the `npm run kb:ingest` command.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chunkDocument, ingestFolder } from "../../lib/kb/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { rows } from "../assistant/harness.js";
import { HF_BASE, useEmbeddings } from "../assistant/model-doubles.js";

const server = useMsw();
const embeddings = useEmbeddings(server);

describe("chunking", () => {
  it("keeps the heading path of every Markdown section and strips inline markup", () => {
    const chunks = chunkDocument(
      "livraison.md",
      "---\ntitle: x\n---\n# Livraison\n\nIntro **importante**.\n\n## Délais\n\nDe 2 à 4 jours, voir [le suivi](https://suivi.example).\n\n### Express\n\nEn 24 h.\n\n```\n# pas un titre\n```\n",
    );
    expect(chunks.map((c) => [c.heading, c.content])).toEqual([
      ["Livraison", "Intro importante."],
      ["Livraison > Délais", "De 2 à 4 jours, voir le suivi (https://suivi.example)."],
      ["Livraison > Délais > Express", "En 24 h.\n\n```\n# pas un titre\n```"],
    ]);
    expect(chunks.map((c) => c.position)).toEqual([0, 1, 2]);
    expect(chunks.every((c) => c.language === "fr")).toBe(true);
  });

  it("cuts a long section on paragraphs and sentences, every piece under the limit and under its heading", () => {
    const para = (n: number) => Array.from({ length: 8 }, (_, i) => `Phrase ${n}.${i} sur la livraison des colis en France.`).join(" ");
    const chunks = chunkDocument("long.md", `# Guide\n\n## Longue section\n\n${[1, 2, 3, 4].map(para).join("\n\n")}`, { maxChars: 500 });
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.every((c) => c.content.length <= 500 && c.heading === "Guide > Longue section")).toBe(true);
    expect(chunks.map((c) => c.content).join(" ")).toContain("Phrase 4.7");
  });

  it("reads HTML headings, lists and tables, and drops navigation and scripts", () => {
    const chunks = chunkDocument(
      "tailles.html",
      "<html><head><title>Guide</title><script>alert(1)</script></head><body><nav>Accueil</nav><h1>Guide des tailles</h1><h2>Robes</h2><table><tr><th>Taille</th><th>Poitrine</th></tr><tr><td>36</td><td>84&nbsp;cm</td></tr></table><ul><li>Mesurez à plat</li></ul></body></html>",
    );
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.heading).toBe("Guide des tailles > Robes");
    expect(chunks[0]!.content).toBe("Taille | Poitrine\n36 | 84 cm\n\n- Mesurez à plat");
  });

  it("uses a text file's first short line as its title", () => {
    const chunks = chunkDocument("contact.txt", "Nous contacter\n\nHoraires:\nDu lundi au vendredi.\n");
    expect(chunks.map((c) => c.heading)).toEqual(["Nous contacter > Horaires"]);
  });

  it("gives the same hash to the same passage, and another to a changed one", () => {
    const a = chunkDocument("a.md", "# T\n\nTexte.");
    expect(chunkDocument("b.md", "# T\n\nTexte.")[0]!.hash).toBe(a[0]!.hash);
    expect(chunkDocument("a.md", "# T\n\nTexte modifié.")[0]!.hash).not.toBe(a[0]!.hash);
  });
});

describe("ingestFolder", () => {
  let services: Services;
  let dir: string;
  beforeAll(async () => {
    services = await createTestServices({ HF_TOKEN: "hf_test_token", HF_BASE_URL: HF_BASE, HTTP_RETRY_ATTEMPTS: "0" });
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "comptoir-kb-"));
    cpSync("kb/demo", dir, { recursive: true });
  });
  afterAll(async () => services.store.close());

  it("embeds new chunks in batches through HF feature extraction, then writes nothing on a second run", async () => {
    const name = `t${Date.now()}`;
    const progress: string[] = [];
    const first = await ingestFolder(services, dir, { name, onProgress: (p) => progress.push(`${p.phase}:${p.done}/${p.total}`) });
    expect(first).toMatchObject({ files: 8, inserted: first.chunks, embedded: first.chunks, vectors: "yes" });
    expect(progress).toContain(`store:8/8`);

    const req = embeddings.requests[0]!;
    expect(req.url).toBe(`${HF_BASE}/hf-inference/models/intfloat/multilingual-e5-small/pipeline/feature-extraction`);
    expect(req.headers.get("authorization")).toBe("Bearer hf_test_token");
    expect(req.body.normalize).toBe(true);
    expect(req.body.inputs[0]).toMatch(/^passage: /);
    expect(embeddings.requests.every((r) => r.body.inputs.length <= 16)).toBe(true);
    expect(embeddings.requests.reduce((n, r) => n + r.body.inputs.length, 0)).toBe(first.chunks);
    const stored = await rows<{ n: number; m: string }>(services, "select count(*)::int as n, min(embedding_model) as m from kb_chunk where source like $1 and embedding is not null", [`${name}/%`]);
    expect(stored).toEqual([{ n: first.chunks, m: "intfloat/multilingual-e5-small" }]);

    embeddings.requests.length = 0;
    const second = await ingestFolder(services, dir, { name });
    expect(second).toMatchObject({ inserted: 0, deleted: 0, updated: 0, pruned: 0, unchanged: first.chunks, embedded: 0 });
    expect(embeddings.requests).toHaveLength(0);
  });

  it("replaces an edited passage, re-embedding only it, and forgets a removed file", async () => {
    const name = `e${Date.now()}`;
    const first = await ingestFolder(services, dir, { name });
    writeFileSync(path.join(dir, "contact.txt"), "Nous contacter\n\nService client:\nÉcrivez-nous à aide@maison-lumiere.example, nous répondons en 2 heures.\n");
    unlinkSync(path.join(dir, "cartes-cadeaux.md"));
    embeddings.requests.length = 0;
    const r = await ingestFolder(services, dir, { name });
    expect(r.files).toBe(7);
    expect(r.inserted).toBe(1);
    expect(r.embedded).toBe(1);
    expect(embeddings.requests.map((q) => q.body.inputs.length)).toEqual([1]);
    const sources = await rows<{ source: string }>(services, "select distinct source from kb_chunk where source like $1 order by source", [`${name}/%`]);
    expect(sources.map((s) => s.source)).not.toContain(`${name}/cartes-cadeaux.md`);
    expect(await rows(services, "select content from kb_chunk where source = $1", [`${name}/contact.txt`])).toEqual([
      { content: "Écrivez-nous à aide@maison-lumiere.example, nous répondons en 2 heures." },
    ]);
    expect(r.chunks).toBeLessThan(first.chunks);
  });

  it("refuses vectors of another dimension with a message that says which model to use", async () => {
    server.use(
      http.post(`${HF_BASE}/hf-inference/models/*`, async ({ request }) =>
        HttpResponse.json(((await request.json()) as { inputs: string[] }).inputs.map(() => [0.1, 0.2, 0.3])),
      ),
    );
    writeFileSync(path.join(dir, "nouveau.md"), "# Nouveau\n\nUn passage neuf.");
    await expect(ingestFolder(services, dir, { name: `d${Date.now()}` })).rejects.toThrow(/3-dimension vectors; the knowledge base stores 384/);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});

describe("npm run kb:ingest", () => {
  it("loads a folder into the local database with a progress report, and finds nothing to do the second time", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "comptoir-kb-cli-"));
    const run = () =>
      promisify(execFile)(path.resolve("node_modules/.bin/tsx"), ["scripts/kb-ingest.ts", "kb/demo"], {
        env: { PATH: `${path.resolve("node_modules/.bin")}:${process.env.PATH}`, HOME: process.env.HOME ?? "/tmp", DATA_DIR: dataDir, LOG_LEVEL: "silent" },
        timeout: 120_000,
      });
    try {
      const first = await run();
      expect(first.stdout).toMatch(/^8 file\(s\), \d+ chunk\(s\): (\d+) new, 0 moved, 0 unchanged, 0 deleted; no embeddings \(HF_TOKEN is not set\): full-text search only\./);
      expect(first.stderr).toMatch(/storing {3}\[#{28}\] 8\/8/);
      const second = await run();
      expect(second.stdout).toMatch(/: 0 new, 0 moved, \d+ unchanged, 0 deleted;/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it("explains its usage when the folder is missing", async () => {
    const err = await promisify(execFile)(path.resolve("node_modules/.bin/tsx"), ["scripts/kb-ingest.ts", "no/such/folder"], {
      env: { PATH: `${path.resolve("node_modules/.bin")}:${process.env.PATH}`, LOG_LEVEL: "silent" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: npm run kb:ingest -- <folder>") });
  }, 60_000);
});
