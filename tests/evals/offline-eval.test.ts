/**
 * The offline assistant against the conversation suites (evals/suite), with a floor: at least 90 %
 * of the conversations helpful. One PGlite database, conversations in sequence, zero keys — the
 * same run as `npm run eval`. The held-out suite (evals/holdout) is played too and its share is
 * printed, without a floor: it measures generalisation and is never tuned against.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVAL_ENV, formatReport, runSuites } from "../../lib/assistant/eval/run.js";
import { loadSuites } from "../../lib/assistant/eval/suite.js";
import { ensureDemoKnowledge } from "../../lib/kb/index.js";
import type { Services } from "../../lib/services.js";
import { createTestServices } from "../helpers/services.js";

const FLOOR = 0.9;
let services: Services;

beforeAll(async () => {
  services = await createTestServices({ ...EVAL_ENV });
  await ensureDemoKnowledge(services);
});
afterAll(async () => services.store.close());

describe("npm run eval, offline", () => {
  it("finds at least 120 conversations in the suite, about half in French and half in English", () => {
    const all = loadSuites(path.resolve("evals/suite")).flatMap((s) => s.conversations);
    expect(all.length).toBeGreaterThanOrEqual(120);
    const fr = all.filter((c) => c.lang === "fr").length;
    expect(Math.abs(fr - (all.length - fr))).toBeLessThanOrEqual(all.length * 0.1);
    expect(loadSuites(path.resolve("evals/holdout")).flatMap((s) => s.conversations).length).toBeGreaterThanOrEqual(30);
  });

  it(`answers at least ${FLOOR * 100} % of the suite's conversations helpfully`, { timeout: 600_000 }, async () => {
    const report = await runSuites(services, loadSuites(path.resolve("evals/suite")), { model: "offline" });
    const failed = report.results.filter((r) => !r.helpful);
    console.log(`[eval] suite: ${report.helpful}/${report.conversations} helpful (${(100 * report.share).toFixed(1)} %)`);
    expect(report.share, formatReport({ ...report, results: failed }, { failuresOnly: true })).toBeGreaterThanOrEqual(FLOOR);
  });

  it("plays the held-out suite and reports its share (no floor: it is never tuned against)", { timeout: 300_000 }, async () => {
    const report = await runSuites(services, loadSuites(path.resolve("evals/holdout")), { model: "offline" });
    console.log(`[eval] holdout: ${report.helpful}/${report.conversations} helpful (${(100 * report.share).toFixed(1)} %)`);
    expect(report.conversations).toBeGreaterThanOrEqual(30);
    // Every conversation ran to its last turn with an answer (a crash or an empty reply is a defect).
    for (const r of report.results) for (const t of r.turns) expect(t.reply.trim(), `${r.id}: "${t.user}"`).not.toBe("");
  });
});
