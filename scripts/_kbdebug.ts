import { loadConfig } from "../lib/config.js";
import { createServices } from "../lib/services.js";
import { createPgliteStore } from "../lib/store/pglite.js";
import { ensureDemoKnowledge, searchKnowledgeDetailed, hitConfidence } from "../lib/kb/index.js";
const store = await createPgliteStore({ dataDir: null });
const services = await createServices(loadConfig({ LOG_LEVEL: "silent" }), store);
await ensureDemoKnowledge(services);
for (const q of process.argv.slice(2)) {
  const r = await searchKnowledgeDetailed(services, { query: q, limit: 4, language: "fr" });
  console.log(`\n# ${q}  tokens=${r.tokens}`);
  for (const h of r.results) console.log(`  ${hitConfidence(h, r.tokens).toFixed(2)} hits=${h.fts_hits} ${h.language} ${h.heading}`);
}
