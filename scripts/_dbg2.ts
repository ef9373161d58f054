import { loadConfig } from "../lib/config.js";
import { createServices } from "../lib/services.js";
import { createPgliteStore } from "../lib/store/pglite.js";
import { answerKnowledge, ensureDemoKnowledge, expandQuery, searchKnowledgeDetailed } from "../lib/kb/index.js";
const store = await createPgliteStore({ dataDir: null });
const services = await createServices(loadConfig({ LOG_LEVEL: "silent" }), store);
await ensureDemoKnowledge(services);
const lang = process.argv[2]!;
for (const q of process.argv.slice(3)) {
  const a = await answerKnowledge(services, { query: q, language: lang });
  const r = await searchKnowledgeDetailed(services, { query: expandQuery(q), limit: 20, language: lang });
  console.log(`\n# ${q}\n  -> ${a?.hit.heading} conf=${a?.confidence.toFixed(2)} concepts=${a?.concepts}\n  ${a?.quote}\n  cands: ${r.results.map((h) => h.heading.split(" > ").pop()).join(" | ")}`);
}
