// What the platform's runtime does around any web handler, and nothing else: build the Request it
// passes in (with a small JSON body, read once), build a Response. Node loads undici, its
// fetch/Request implementation, on the first `new Request`: every deployed function pays that
// before its own code runs. Printed in the same shape as cold-child.mjs.
import { peakRssKiB } from "./peak-rss.mjs";

const req = new Request("http://localhost:3000/api/health", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
await req.text();
const res = new Response(JSON.stringify({ ok: true }), { status: 200, headers: { "content-type": "application/json" } });
const cpu = process.cpuUsage();
process.stdout.write(`served ${res.status} ${((cpu.user + cpu.system) / 1000).toFixed(1)} ${peakRssKiB()} ${performance.now().toFixed(1)}\n`);
