/**
 * End to end in real Chromium: the demo shop page on the real dev server (no keys: demo shop
 * in PGlite, offline assistant, no Stripe). A shopper asks for dresses in French, sees cards
 * with prices, presses a button and gets the checkout answer the server gave; their own HTML
 * stays text; a Wix-like embed on another allowed origin hits the rate limit and is told how
 * long to wait. Screenshots of the open widget (desktop and phone) go to test-results/.
 */
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { createTestServices } from "../helpers/services.js";
import { freePort, launchChromium, recordChatBodies } from "./browser.js";

const SESSION_LIMIT = 4;
const SHOTS = "test-results";

interface ChatAnswer {
  sessionId: string;
  reply: {
    text: string;
    products: Array<{ id: string; name: string; price: string; originalPrice: string | null; currency: string; imageUrl: string | null; url: string | null; inStock: boolean }>;
    buttons: Array<{ title: string; payload: string }>;
    links: Array<{ title: string; url: string; kind: string }>;
  };
  handoff: boolean;
}

let dev: DevServer;
let browser: Browser;
let host: Server; // a second origin standing in for the shop's Wix site
let hostOrigin: string;
let context: BrowserContext | undefined;
let pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  host = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Ma boutique Wix</title></head><body><h1>Ma boutique</h1>` +
        `<script src="http://localhost:${port}/widget.js" data-endpoint="http://localhost:${port}/api/chat" data-title="Ma boutique" data-color="#1d4ed8"></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
  const services = await createTestServices({
    PUBLIC_BASE_URL: `http://localhost:${port}`,
    ALLOWED_ORIGINS: hostOrigin,
    CHAT_RATE_SESSION_LIMIT: String(SESSION_LIMIT),
    CHAT_RATE_IP_LIMIT: "1000",
  });
  [dev, browser] = await Promise.all([startDevServer({ port, quiet: true, services }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  host?.closeAllConnections();
  await new Promise((resolve) => host?.close(resolve));
  await dev?.close();
  await dev?.services.store.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  expect(pageErrors, "uncaught errors in the page").toEqual([]);
  pageErrors = [];
});

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  context = await browser.newContext({ viewport });
  await context.addInitScript(recordAnswers);
  const page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
  return page;
}

/** What the page received from /api/chat, recorded by the init script below (a clone of each response). */
interface Seen {
  status: number;
  contentType: string;
  retryAfter: string | null;
  body: string | null;
}

/**
 * Records, inside the page, every /api/chat response the widget gets (status, the headers a
 * script can read, and the body from a tee'd clone), so the test can compare what was shown
 * with what the server said. Playwright cannot read streamed (SSE) bodies reliably.
 */
function recordAnswers() {
  const w = window as unknown as { __seen: Seen[] };
  w.__seen = [];
  const original = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const res = await original(input, init);
    if (String(input instanceof Request ? input.url : input).includes("/api/chat")) {
      const seen: Seen = {
        status: res.status,
        contentType: res.headers.get("content-type") ?? "",
        retryAfter: res.headers.get("retry-after"),
        body: null,
      };
      w.__seen.push(seen);
      void res.clone().text().then((t) => (seen.body = t));
    }
    return res;
  };
}

/** The final answer in a recorded body, whether the server streamed it (SSE) or sent JSON. */
function finalAnswer(seen: Seen): ChatAnswer {
  const body = seen.body ?? "";
  if (!/text\/event-stream/.test(seen.contentType)) return JSON.parse(body) as ChatAnswer;
  const data = body
    .split(/\r?\n\r?\n/)
    .map((block) => block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.replace(/^data: ?/, "")).join("\n"))
    .filter(Boolean)
    .map((d) => JSON.parse(d) as Partial<ChatAnswer>);
  const last = data.reverse().find((d) => d.reply);
  if (!last) throw new Error(`no final answer in the stream:\n${body}`);
  return last as ChatAnswer;
}

const patiently = { timeout: 15_000, interval: 50 };

/** Runs `act` (which sends one message) and returns the response once the widget rendered it. */
async function exchange(page: Page, act: () => Promise<void>): Promise<Seen> {
  const count = await page.evaluate(() => (window as unknown as { __seen: Seen[] }).__seen.length);
  await act();
  await expect.poll(() => page.evaluate((n) => (window as unknown as { __seen: Seen[] }).__seen[n]?.body != null, count), patiently).toBe(true);
  await expect.poll(() => page.locator("comptoir-chat .dots").count(), patiently).toBe(0);
  return page.evaluate((n) => (window as unknown as { __seen: Seen[] }).__seen[n]!, count);
}

async function ask(page: Page, text: string): Promise<Seen> {
  return exchange(page, async () => {
    await page.locator("comptoir-chat textarea").fill(text);
    await page.keyboard.press("Enter");
  });
}

async function press(page: Page, button: Locator): Promise<ChatAnswer> {
  const seen = await exchange(page, () => button.click());
  expect(seen.status).toBe(200);
  return finalAnswer(seen);
}

const lastBot = (page: Page) => page.locator("comptoir-chat .row.bot").last();
/** The reply text as the widget shows it: **bold** marks dropped, bullet lines repeating a card hidden. */
function shown(answer: ChatAnswer): string {
  const text = answer.reply.text.replace(/\*\*([^*\n]+)\*\*/g, "$1");
  const names = answer.reply.products.map((p) => p.name);
  const kept = text.split("\n").filter((l) => !(/^\s*[•*-]\s/.test(l) && names.some((n) => l.includes(n)))).join("\n").trim();
  // French punctuation and units keep to their word (« robe » :, 10 %, 89,00 € -> no-break spaces).
  return (kept || text).replace(/ ([:;!?»%€])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
}

async function openDemoShop(page: Page) {
  await page.goto(`${dev.url}/`);
  await page.locator("comptoir-chat .launch").click();
  await page.locator("comptoir-chat .panel").evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
}

describe("demo shop in Chromium against the real server", () => {
  it("a shopper asks for dresses in French, sees cards with prices, presses a button and gets the server's checkout answer", async () => {
    const page = await newPage({ width: 1280, height: 800 });
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    const bodies = recordChatBodies(page);
    await openDemoShop(page);

    const first = await ask(page, "Vous avez des robes ?");
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/); // the widget asked for, and got, a stream
    const found = finalAnswer(first);
    expect(found.reply.products.length, JSON.stringify(found)).toBeGreaterThan(0);
    expect(found.reply.products.every((p) => /robe/i.test(p.name)), JSON.stringify(found.reply.products)).toBe(true);

    expect(await lastBot(page).locator(".tx").innerText()).toBe(shown(found));
    const cards = lastBot(page).locator(".card");
    expect(await cards.count()).toBe(found.reply.products.length);
    const p0 = found.reply.products[0]!;
    expect(await cards.first().locator(".nm").innerText()).toBe(p0.name);
    const price = await cards.first().locator(".pr").innerText();
    expect(price).toMatch(/^\d[\d\u202f ]*,\d{2}\u00a0€/);
    expect(price.startsWith(new Intl.NumberFormat("fr-FR", { style: "currency", currency: p0.currency }).format(Number(p0.price)))).toBe(true);
    await expect.poll(() => cards.first().locator("img").evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), patiently).toBe(true);
    const discounted = found.reply.products.findIndex((p) => p.originalPrice); // the demo's Terracotta dress
    expect(discounted, "a discounted dress").toBeGreaterThanOrEqual(0);
    expect(await cards.nth(discounted).locator(".pr s").innerText()).toBe(new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(Number(found.reply.products[discounted]!.originalPrice)));
    await page.waitForTimeout(250); // let the images paint
    await page.screenshot({ path: `${SHOTS}/widget-desktop.png` });

    // Press a product's button ("details"), then the "buy" button on its card.
    const details = found.reply.buttons.find((b) => b.payload === `details:${p0.id}`);
    expect(details, JSON.stringify(found.reply.buttons)).toBeDefined();
    const detailed = await press(page, cards.first().locator(".ca"));
    expect(bodies[1]).toEqual({ message: p0.name, payload: details!.payload, sessionId: found.sessionId, messageId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(detailed.sessionId).toBe(found.sessionId);
    expect(await lastBot(page).locator(".tx").innerText()).toBe(shown(detailed));
    const buy = detailed.reply.buttons.find((b) => /^buy:/.test(b.payload));
    expect(buy, JSON.stringify(detailed.reply.buttons)).toBeDefined();
    const bought = await press(page, lastBot(page).locator(".ca", { hasText: buy!.title }));
    expect(bodies[2]).toMatchObject({ message: buy!.title, payload: buy!.payload, sessionId: found.sessionId });
    // A dress comes in sizes: the assistant asks first, with a button per size in stock.
    expect(bought.reply.text).toMatch(/taille/i);
    const size = bought.reply.buttons.find((b) => /^option:/.test(b.payload));
    expect(size, JSON.stringify(bought.reply.buttons)).toBeDefined();
    const checkout = await press(page, lastBot(page).locator(".chip", { hasText: size!.title }).first());
    expect(bodies[3]).toMatchObject({ payload: size!.payload, sessionId: found.sessionId });
    expect(await lastBot(page).locator(".tx").innerText()).toBe(shown(checkout));
    // No Stripe keys: the server says payments are not configured and sends no checkout link.
    expect(checkout.reply.text).toMatch(/paiement/i);
    expect(checkout.reply.links.filter((l) => l.kind === "checkout")).toEqual([]);
    expect(await lastBot(page).locator("a.pay").count()).toBe(0);

    // Escape closes and gives the focus back to the launcher.
    await page.keyboard.press("Escape");
    expect(await page.locator("comptoir-chat .panel").isVisible()).toBe(false);
    expect(await page.evaluate(() => document.querySelector("comptoir-chat")!.shadowRoot!.activeElement?.className)).toBe("launch");

    // The widget talked to nothing but this server (page, widget, images, /api/chat).
    expect(requested.filter((u) => !u.startsWith(`${dev.url}/`) && !u.startsWith("data:"))).toEqual([]);
  });

  it("on a phone the open widget fills the screen and shows the products", async () => {
    const page = await newPage({ width: 390, height: 844 });
    await openDemoShop(page);
    const res = await ask(page, "Vous avez des robes ?");
    expect(finalAnswer(res).reply.products.length).toBeGreaterThan(0);
    expect(await page.locator("comptoir-chat .panel").evaluate((el: HTMLElement) => [el.offsetWidth, el.offsetHeight])).toEqual([390, 844]);
    await expect.poll(() => page.locator("comptoir-chat .card img").first().evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), patiently).toBe(true);
    await page.waitForTimeout(250);
    await page.screenshot({ path: `${SHOTS}/widget-mobile.png` });
  });

  it("the shopper's own HTML is shown as text and never runs", async () => {
    const page = await newPage({ width: 1280, height: 800 });
    await openDemoShop(page);
    const typed = `<img src=x onerror="window.__xss=1">Bonjour <script>window.__xss=2</script>`;
    const res = await ask(page, typed);
    expect(res.status).toBe(200);
    const answer = finalAnswer(res);
    expect(await page.locator("comptoir-chat .row.me .tx").last().innerText()).toBe(typed);
    expect(await lastBot(page).locator(".tx").innerText()).toBe(shown(answer));
    const found = await page.evaluate(() => ({
      xss: (window as { __xss?: number }).__xss ?? null,
      imgs: document.querySelector("comptoir-chat")!.shadowRoot!.querySelectorAll(".msg img, .tx img").length,
    }));
    expect(found).toEqual({ xss: null, imgs: 0 });
  });

  it("asking for a person shows the server's hand-off answer and the hand-off notice", async () => {
    const page = await newPage({ width: 1280, height: 800 });
    await openDemoShop(page);
    const res = await ask(page, "Je voudrais parler à quelqu'un");
    const answer = finalAnswer(res);
    expect(answer.handoff).toBe(true);
    expect(await lastBot(page).locator(".tx").innerText()).toBe(shown(answer));
    expect(await lastBot(page).locator(".note").innerText()).toBe("Votre conversation a été transmise à un conseiller.");
  });

  it("embedded on another allowed origin (like a Wix site), it chats and shows the 429 wait in plain words", async () => {
    const page = await newPage({ width: 1280, height: 800 });
    const endpoint = `${dev.url}/api/chat`;
    await page.goto(`${hostOrigin}/`);
    await page.locator("comptoir-chat .launch").click();

    const chat = page.waitForResponse((r) => r.url() === endpoint && r.request().method() === "POST");
    const ok = await ask(page, "Bonjour");
    expect(ok.status).toBe(200);
    expect((await chat).headers()["access-control-allow-origin"]).toBe(hostOrigin);
    expect(await lastBot(page).locator(".tx").innerText()).toBe(shown(finalAnswer(ok)));

    let limited: Seen | undefined;
    for (let i = 0; i < SESSION_LIMIT + 1 && !limited; i++) {
      const res = await ask(page, `Question ${i + 1}`);
      if (res.status === 429) limited = res;
    }
    expect(limited, "the session limit was never hit").toBeDefined();
    // Read by the page's own script: the header is exposed to the allowed cross-origin caller.
    const wait = Number(limited!.retryAfter);
    expect(wait).toBeGreaterThan(0);
    const err = page.locator("comptoir-chat .err span");
    expect(await err.innerText()).toBe(`Vous envoyez trop de messages, réessayez dans ${wait} s.`);
    expect(await page.locator("comptoir-chat .err button").innerText()).toBe("Réessayer");
  });
});
