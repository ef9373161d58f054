/** npm run db:migrate — applies pending supabase/migrations/*.sql to DATABASE_URL, recording each. */
import { getConfig } from "../lib/config.js";
import { createPostgresStore } from "../lib/store/postgres.js";

const config = getConfig();
if (config.store.kind !== "postgres") {
  console.error("db:migrate needs DATABASE_URL (a postgres:// URL; for Supabase use the direct or session-pooler connection string).");
  process.exit(2);
}
const store = await createPostgresStore({ ...config.store, max: 1 });
try {
  const { applied, alreadyApplied } = await store.migrate();
  console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}` : "Nothing to apply.");
  console.log(`${alreadyApplied} migration(s) were already applied.`);
} finally {
  await store.close();
}
