import { loadConfig } from "../lib/config.js";
import { createServices } from "../lib/services.js";
import { createPgliteStore } from "../lib/store/pglite.js";
import { getShop } from "../lib/shop/index.js";
const store = await createPgliteStore({ dataDir: null });
const services = await createServices(loadConfig({ LOG_LEVEL: "silent" }), store);
for (const q of process.argv.slice(2)) {
  const r = await getShop(services).searchProducts({ query: q, limit: 8 });
  console.log(q, "=>", r.map((p) => p.id).join(", "));
}
