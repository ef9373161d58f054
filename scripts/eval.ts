/**
 * `npm run eval` — plays the conversation suites (evals/suite, then the held-out evals/holdout)
 * against the assistant and prints a table per conversation and the helpful share; writes
 * evals/results/<date>-<model>.json.
 *
 *   npm run eval                       offline assistant, zero keys, PGlite in memory, demo shop
 *   npm run eval -- --model hf         the Hugging Face router (HF_TOKEN from .env.local / env)
 *   npm run eval -- --model gemini     Gemini (GEMINI_API_KEY)
 *   options: --suite <dir> (one folder only), --only <id part>, --failures (failed lines only),
 *            --no-write (no results file)
 *
 * Always the demo shop and its knowledge base (the suites name its products), whatever Wix or
 * Stripe keys the environment holds: only the chosen model's keys are taken from it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getConfig, loadConfig, type Config } from "../lib/config.js";
import { EVAL_ENV, formatReport, runSuites, type EvalReport } from "../lib/assistant/eval/run.js";
import { loadSuites } from "../lib/assistant/eval/suite.js";
import { ensureDemoKnowledge } from "../lib/kb/demo.js";
import { createServices } from "../lib/services.js";
import { createPgliteStore } from "../lib/store/pglite.js";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "offline" },
    suite: { type: "string" },
    only: { type: "string" },
    failures: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
const model = values.model ?? "offline";
if (!["offline", "hf", "gemini"].includes(model)) {
  console.error(`--model must be offline, hf or gemini (got ${model})`);
  process.exit(2);
}

function evalConfig(): Config {
  const base = loadConfig(EVAL_ENV);
  if (model === "offline") return base;
  const real = getConfig();
  if (model === "hf" && !real.hf.configured) throw new Error("--model hf needs HF_TOKEN (in .env.local or the environment)");
  if (model === "gemini" && !real.gemini.configured) throw new Error("--model gemini needs GEMINI_API_KEY (in .env.local or the environment)");
  // The other provider stays off so the run measures one model (and its fallback is offline).
  return { ...base, hf: model === "hf" ? real.hf : base.hf, gemini: model === "gemini" ? real.gemini : base.gemini };
}

async function main() {
  const root = path.resolve("evals");
  const dirs = values.suite ? [path.resolve(values.suite)] : [path.join(root, "suite"), path.join(root, "holdout")];
  const store = await createPgliteStore({ dataDir: null });
  const services = await createServices(evalConfig(), store);
  await ensureDemoKnowledge(services);

  const reports: { dir: string; report: EvalReport }[] = [];
  for (const dir of dirs) {
    const suites = loadSuites(dir);
    const report = await runSuites(services, suites, {
      model,
      ...(values.only ? { filter: (c) => c.id.includes(values.only!) } : {}),
      onResult: (r) => process.stderr.write(r.helpful ? "." : "x"),
    });
    process.stderr.write("\n");
    console.log(`\n## ${path.relative(process.cwd(), dir)}\n`);
    console.log(formatReport(report, { failuresOnly: values.failures }));
    reports.push({ dir: path.relative(process.cwd(), dir), report });
  }
  await store.close();

  if (!values["no-write"] && !values.only) {
    const out = path.join(root, "results");
    mkdirSync(out, { recursive: true });
    const file = path.join(out, `${new Date().toISOString().slice(0, 10)}-${model}.json`);
    writeFileSync(file, `${JSON.stringify({ model, suites: reports }, null, 2)}\n`);
    console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  }
  console.log("");
  for (const { dir, report } of reports) console.log(`${dir}: ${report.helpful}/${report.conversations} helpful (${(100 * report.share).toFixed(1)} %)`);
}

main().catch((err: unknown) => {
  // A missing key is the user's to fix: its sentence, not a stack.
  console.error(err instanceof Error && /needs (HF_TOKEN|GEMINI_API_KEY)/.test(err.message) ? err.message : err);
  process.exit(1);
});
