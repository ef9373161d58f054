/**
 * Takes the README screenshots of the owner's inbox (docs/inbox-desktop.png and
 * docs/inbox-phone.png) against a throwaway in-memory server (no keys: demo shop, offline
 * assistant, emails in a temporary outbox): three shoppers ask for a person, the owner signs in
 * with the emailed code and answers one of them.
 *   npx tsx scripts/screenshot-inbox.ts [out-dir]
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../lib/config.js";
import { createServices } from "../lib/services.js";
import { createPgliteStore } from "../lib/store/pglite.js";
import { launchChromium } from "../tests/browser/browser.js";
import { startDevServer } from "./dev-server.js";

const outDir = path.resolve(process.argv[2] ?? "docs");
const OWNER = "marie@maison-lumiere.example";
const outbox = mkdtempSync(path.join(tmpdir(), "comptoir-inbox-shot-"));

const port = await new Promise<number>((resolve, reject) => {
  const srv = createServer().on("error", reject);
  srv.listen(0, "127.0.0.1", () => {
    const a = srv.address();
    srv.close(() => resolve(typeof a === "object" && a ? a.port : 0));
  });
});
const config = loadConfig({ LOG_LEVEL: "silent", PUBLIC_BASE_URL: `http://localhost:${port}`, OUTBOX_DIR: outbox, OWNER_EMAILS: OWNER, OWNER_DISPLAY_NAME: "Marie" });
const dev = await startDevServer({ port, quiet: true, services: await createServices(config, await createPgliteStore({ dataDir: null })) });

async function chat(sessionId: string | null, message: string): Promise<string> {
  const res = await fetch(`${dev.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json", "accept-language": "fr" }, body: JSON.stringify({ message, ...(sessionId ? { sessionId } : {}) }) });
  return ((await res.json()) as { sessionId: string }).sessionId;
}
const shoppers: [string, string][] = [
  ["Bonjour, vous avez des robes en lin ?", "Je voudrais parler à un conseiller, c'est pour un mariage en juin"],
  ["Je cherche un cadeau pour ma mère, une bougie peut-être", "je voudrais parler à un humain svp"],
  ["Ma commande n'est pas arrivée, mon email est lea.martin@example.fr", "je veux parler à quelqu'un de la boutique"],
];
for (const [a, b] of shoppers) await chat(await chat(null, a), b);
await dev.idle();

const browser = await launchChromium(); // Debian's Chromium, else the npm one (as scripts/screenshot.ts)
try {
  const signIn = async (page: import("playwright-core").Page) => {
    await page.goto(`${dev.url}/admin/`);
    await page.locator("#email").fill(OWNER);
    await page.keyboard.press("Enter");
    await page.locator("#code").waitFor();
    await dev.idle();
    const mails = readdirSync(outbox).filter((f) => f.endsWith(".eml")).sort();
    const code = mails.map((f) => /(?:connexion : |bo[^\n]{0,30}? : )(\d{6})/.exec(readFileSync(path.join(outbox, f), "utf8"))?.[1]).filter(Boolean).at(-1);
    await page.locator("#code").fill(code!);
    await page.keyboard.press("Enter");
    await page.locator(".item").first().waitFor();
  };
  mkdirSync(outDir, { recursive: true });

  const desktop = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "fr-FR" })).newPage();
  await signIn(desktop);
  await desktop.locator(".item").first().click();
  await desktop.locator("#reply").fill("Bonjour ! Félicitations pour le mariage. Je vous montre nos robes en lin :");
  await desktop.locator("button.send").click();
  await desktop.locator("#status").filter({ hasText: "Réponse" }).waitFor();
  await desktop.locator("#reply").fill("La robe Sable existe en 36 à 44.");
  await desktop.locator("#reply").blur();
  await desktop.waitForTimeout(300);
  await desktop.screenshot({ path: path.join(outDir, "inbox-desktop.png") });

  const phone = await (await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, locale: "fr-FR" })).newPage();
  await signIn(phone);
  await phone.waitForTimeout(300);
  await phone.screenshot({ path: path.join(outDir, "inbox-phone.png") });
  console.log(`saved ${path.relative(process.cwd(), path.join(outDir, "inbox-desktop.png"))} and inbox-phone.png`);
} finally {
  await browser.close();
  await dev.close();
  await dev.services.store.close();
  rmSync(outbox, { recursive: true, force: true });
}
