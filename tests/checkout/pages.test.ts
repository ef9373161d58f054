/**
 * The Stripe success and cancel pages in real Chromium, against the dev server: the success
 * page follows the order from pending to paid as the webhook arrives, writes API data as text
 * only (a product name carrying HTML stays text), speaks French or English, handles a missing
 * or unknown session; both pages reopen the chat.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as webhook } from "../../api/stripe-webhook.js";
import { createCheckout } from "../../lib/checkout/index.js";
import type { Services } from "../../lib/services.js";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { freePort, launchChromium } from "../browser/browser.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { addProduct } from "./harness.js";
import { sessionEvent, signedWebhook, STRIPE_ENV, useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
const EVIL = `<img src=x onerror="window.__xss=1">Robe`;

let dev: DevServer;
let browser: Browser;
let services: Services;
let base: string;
let context: BrowserContext | undefined;
let pageErrors: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  services = await createTestServices({ ...STRIPE_ENV, PUBLIC_BASE_URL: base });
  await addProduct(services, { id: "p-evil", name: EVIL, price: "19.99" });
  [dev, browser] = await Promise.all([startDevServer({ port, quiet: true, services }), launchChromium()]);
  stripe.install();
});
afterAll(async () => {
  await browser?.close();
  await dev?.close();
  await services?.store.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  expect(pageErrors).toEqual([]);
});

async function open(path: string, locale = "fr-FR"): Promise<Page> {
  context = await browser.newContext({ locale });
  const page = await context.newPage();
  pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${base}${path}`);
  return page;
}
const text = (page: Page, id: string) => page.locator(`#${id}`).innerText();

let n = 0;
async function pendingSession(): Promise<string> {
  stripe.install();
  return (await createCheckout(services, { items: [{ productId: "p-evil", quantity: 3 }], conversationId: `conv-page-${++n}` })).sessionId!;
}
const pay = (sessionId: string) =>
  webhook(signedWebhook(JSON.stringify(sessionEvent("checkout.session.completed", { id: sessionId, amount_total: 5997, currency: "eur", payment_status: "paid" }))));

describe("success page", () => {
  it("shows 'waiting', then the paid order once the webhook arrives, with the product name as text", async () => {
    const sessionId = await pendingSession();
    const page = await open(`/checkout/success.html?session_id=${sessionId}`);
    await expect.poll(() => text(page, "title")).toBe("Paiement en cours de confirmation");
    expect((await pay(sessionId)).status).toBe(200);
    await expect.poll(() => text(page, "title"), { timeout: 15_000 }).toBe("Merci, votre commande est confirmée !");
    expect(await text(page, "items")).toBe(`3 × ${EVIL}`);
    expect(await text(page, "total")).toMatch(/^Commande n° \d+ · Total : 59,97\s€$/);
    expect(await page.locator("main img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it("speaks English to an English browser", async () => {
    const sessionId = await pendingSession();
    await pay(sessionId);
    const page = await open(`/checkout/success.html?session_id=${sessionId}`, "en-GB");
    await expect.poll(() => text(page, "title")).toBe("Thank you, your order is confirmed!");
    expect(await text(page, "shop")).toBe("Back to the shop");
  });

  it("says so for a missing or unknown session id", async () => {
    let page = await open("/checkout/success.html");
    await expect.poll(() => text(page, "message")).toContain("incomplet");
    await context!.close();
    page = await open("/checkout/success.html?session_id=cs_test_nobody");
    await expect.poll(() => text(page, "message")).toBe("Nous ne trouvons pas cette commande.");
  });

  it("reopens the chat widget", async () => {
    const page = await open("/checkout/success.html?session_id=cs_test_nobody");
    await page.waitForFunction(() => "Comptoir" in window);
    await page.click("#chat");
    await expect.poll(() => page.evaluate(() => !document.querySelector("comptoir-chat")?.shadowRoot?.querySelector(".panel")?.hasAttribute("hidden"))).toBe(true);
  });
});

describe("cancel page", () => {
  it("tells the shopper nothing was charged and reopens the chat", async () => {
    const page = await open("/checkout/cancel.html");
    expect(await text(page, "title")).toBe("Paiement annulé");
    expect(await text(page, "message")).toContain("Aucun montant n'a été débité");
    await page.waitForFunction(() => "Comptoir" in window);
    await page.click("#chat");
    await expect.poll(() => page.evaluate(() => !document.querySelector("comptoir-chat")?.shadowRoot?.querySelector(".panel")?.hasAttribute("hidden"))).toBe(true);
  });

  it("speaks English to an English browser", async () => {
    const page = await open("/checkout/cancel.html", "en-US");
    expect(await text(page, "title")).toBe("Payment cancelled");
    expect(await text(page, "chat")).toBe("Back to the chat");
  });
});
