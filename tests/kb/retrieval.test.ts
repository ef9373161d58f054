/**
 * Hybrid retrieval over the demo knowledge base: hand-written shopper questions must bring the
 * right passage first, with full-text search only (no HF token), with fixed fake embeddings
 * fused by reciprocal rank, and on a real PostgreSQL server when one is available.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFolder, searchKnowledgeDetailed } from "../../lib/kb/index.js";
import { createServices, type Services } from "../../lib/services.js";
import { loadConfig } from "../../lib/config.js";
import { useMsw } from "../helpers/msw.js";
import { BASE_ENV, createTestServices } from "../helpers/services.js";
import { TEST_DATABASE_URL, createPgDatabase } from "../helpers/store.js";
import { HF_BASE, useEmbeddings } from "../assistant/model-doubles.js";

const DEMO = "kb/demo";
const EN = "Maison Lumière: FAQ in English";

/** [question, heading of the passage that answers it] */
const QUESTIONS: [string, string][] = [
  ["Quels sont les délais de livraison ?", "Livraison > Délais de livraison"],
  ["Combien coûtent les frais de port ?", "Livraison > Frais de livraison"],
  ["Vous livrez en Suisse ?", "Livraison > Livraison à l'international"],
  ["Comment retourner un article ?", "Retours et remboursements > Comment retourner un article"],
  ["Quand vais-je être remboursé ?", "Retours et remboursements > Remboursement"],
  ["Quelle pointure prendre pour des escarpins ?", "Guide des tailles > Chaussures"],
  ["Acceptez-vous PayPal ?", "Paiement > Moyens de paiement acceptés"],
  ["Comment entretenir un pull en cachemire ?", "Entretien de nos produits > Cachemire et laine"],
  ["Quels sont vos horaires d'ouverture ?", "Nous contacter > Boutique et atelier"],
  ["Do you ship to the United Kingdom?", `${EN} > International shipping`],
  ["How do I get a refund?", `${EN} > Returns and refunds`],
  ["Which payment methods do you accept?", `${EN} > Payment methods`],
];

const server = useMsw();
const embeddings = useEmbeddings(server);

describe("full-text only (no HF_TOKEN)", () => {
  let services: Services;
  beforeAll(async () => {
    services = await createTestServices({ WIX_API_KEY: "", DATA_DIR: "/nonexistent" });
    await ingestFolder(services, DEMO, { name: "demo" });
  });
  afterAll(async () => services.store.close());

  it.each(QUESTIONS)("ranks the right passage first for %j", async (question, heading) => {
    const r = await searchKnowledgeDetailed(services, { query: question, limit: 3 });
    expect(r.embedded).toBe(0);
    expect(r.results[0]?.heading, JSON.stringify(r.results.map((h) => h.heading))).toBe(heading);
    expect(r.results[0]!.vec_rank).toBeNull();
  });

  it("finds nothing for a question the base does not cover", async () => {
    const r = await searchKnowledgeDetailed(services, { query: "tealight" });
    expect(r.results).toEqual([]);
  });
});

describe("hybrid: full-text and fixed fake embeddings fused by reciprocal rank", () => {
  let services: Services;
  beforeAll(async () => {
    services = await createTestServices({ HF_TOKEN: "hf_test_token", HF_BASE_URL: HF_BASE, HTTP_RETRY_ATTEMPTS: "0" });
  });
  afterAll(async () => services.store.close());

  it("embeds every chunk when ingesting", async () => {
    const report = await ingestFolder(services, DEMO, { name: "demo" });
    expect(report.vectors).toBe("yes");
    expect(report.embedded).toBe(report.chunks);
    expect(embeddings.requests.every((q) => q.body.inputs.every((i) => i.startsWith("passage: ")))).toBe(true);
  });

  it.each(QUESTIONS)("ranks the right passage first for %j", async (question, heading) => {
    const r = await searchKnowledgeDetailed(services, { query: question, limit: 3 });
    expect(r.embedded).toBeGreaterThan(30);
    expect(r.results[0]?.heading, JSON.stringify(r.results.map((h) => [h.heading, h.fts_rank, h.vec_rank]))).toBe(heading);
    expect(r.results.some((h) => h.vec_rank !== null)).toBe(true);
    expect(embeddings.requests.at(-1)!.body).toEqual({ inputs: [`query: ${question}`], normalize: true });
  });

  it("finds by meaning a passage that shares no word with the question", async () => {
    const r = await searchKnowledgeDetailed(services, { query: "tealight" });
    expect(r.results[0]?.heading).toBe("Entretien de nos produits > Bougies parfumées");
    expect(r.results[0]).toMatchObject({ fts_rank: null, vec_rank: 1 });
  });

  it("still answers from full-text when the embedding service is down", async () => {
    embeddings.failWith = 503;
    const r = await searchKnowledgeDetailed(services, { query: "Acceptez-vous PayPal ?" });
    expect(r.results[0]?.heading).toBe("Paiement > Moyens de paiement acceptés");
    expect(r.results[0]!.vec_rank).toBeNull();
  });
});

describe.runIf(TEST_DATABASE_URL)("on a real PostgreSQL server", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let services: Services;
  beforeAll(async () => {
    db = await createPgDatabase();
    services = await createServices(loadConfig({ ...BASE_ENV }), db.store);
    await ingestFolder(services, DEMO, { name: "demo" });
  });
  afterAll(async () => db.drop());

  it.each(QUESTIONS)("ranks the right passage first for %j", async (question, heading) => {
    const r = await searchKnowledgeDetailed(services, { query: question, limit: 3 });
    expect(r.results[0]?.heading).toBe(heading);
  });
});
