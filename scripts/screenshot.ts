/**
 * Takes the README screenshot (docs/widget.png): the demo shop with the widget open after
 * "Vous avez des robes ?", against a throwaway in-memory server (no keys: demo shop, offline
 * assistant). Uses the browser tests' launcher: Debian's Chromium when installed, else the one
 * inside the `@sparticuz/chromium` npm package.
 *   npx tsx scripts/screenshot.ts [out.png] [--mobile]
 */
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { loadConfig } from "../lib/config.js";
import { createServices } from "../lib/services.js";
import { createPgliteStore } from "../lib/store/pglite.js";
import { startDevServer } from "./dev-server.js";
import { launchChromium } from "../tests/browser/browser.js";

const args = process.argv.slice(2);
const mobile = args.includes("--mobile");
const out = path.resolve(args.find((a) => !a.startsWith("--")) ?? "docs/widget.png");

const port = await new Promise<number>((resolve, reject) => {
  const srv = createServer().on("error", reject);
  srv.listen(0, "127.0.0.1", () => {
    const a = srv.address();
    srv.close(() => resolve(typeof a === "object" && a ? a.port : 0));
  });
});
const config = loadConfig({ LOG_LEVEL: "silent", PUBLIC_BASE_URL: `http://localhost:${port}` });
const dev = await startDevServer({ port, quiet: true, services: await createServices(config, await createPgliteStore({ dataDir: null })) });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 800 }, deviceScaleFactor: mobile ? 2 : 1 });
  await page.goto(`${dev.url}/`);
  await page.locator("comptoir-chat .launch").click();
  await page.locator("comptoir-chat textarea").fill("Vous avez des robes ?");
  await page.keyboard.press("Enter");
  await page.locator("comptoir-chat .card img").first().waitFor();
  await page.waitForLoadState("networkidle");
  await page.locator("comptoir-chat textarea").blur();
  await page.waitForTimeout(300);
  mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`saved ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
  await dev.close();
  await dev.services.store.close();
}
