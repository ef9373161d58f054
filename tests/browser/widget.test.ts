/**
 * The chat widget in real Chromium against doubles of /api/chat (page.route, and a small
 * streaming server): rendering of every reply shape, text-only rendering of hostile data,
 * SSE streaming and JSON fallback, 429 and network errors with retry, keyboard, session
 * storage, style isolation both ways, and the phone layout.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { createTestServices } from "../helpers/services.js";
import { hostPage, launchChromium, recordChatBodies, serveHtml } from "./browser.js";

/** expect.poll with room for a loaded CI machine (the default gives up after 1 s). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 50 });

let dev: DevServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [dev, browser] = await Promise.all([
    (async () => startDevServer({ port: 0, quiet: true, services: await createTestServices() }))(),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await dev?.close();
  await dev?.services.store.close();
});
let pageErrors: string[] = [];
afterEach(async () => {
  await context?.close();
  expect(pageErrors, "uncaught errors in the page").toEqual([]);
  pageErrors = [];
});

async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
  // A bare host page: quicker than the demo shop and its pictures.
  await serveHtml(page, `${dev.url}/test/shop.html`, hostPage({ widgetSrc: "/widget.js", attrs: { "data-title": "Maison Lumière", "data-color": "#9a4a2b" } }));
  return page;
}

const product = (over: Record<string, unknown> = {}) => ({
  id: "ml-robe-lin-sable",
  name: "Robe en lin Sable",
  price: "89.00",
  originalPrice: null,
  currency: "EUR",
  imageUrl: `${dev.url}/demo/robe-lin-sable.svg`,
  url: `${dev.url}/produit/robe-lin-sable`,
  inStock: true,
  ...over,
});

const answer = (reply: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  sessionId: "sess-0123456789abcdef",
  reply: { text: "", products: [], buttons: [], links: [], handoff: false, ...reply },
  handoff: false,
  ...extra,
});

/** Answers every POST /api/chat with `respond(body, n)` (n counts from 1). */
async function fakeChat(page: Page, respond: (body: Record<string, unknown>, n: number, route: Route) => unknown) {
  let n = 0;
  await page.route(`${dev.url}/api/chat`, async (route) => {
    const body = JSON.parse(route.request().postData() ?? "{}") as Record<string, unknown>;
    const out = await respond(body, ++n, route);
    if (out !== undefined) await route.fulfill({ json: out });
  });
}

/** Loads the host page `path` (default: a bare shop page; "/" is the demo shop) and opens the widget. */
async function openWidget(page: Page, path = "/test/shop.html") {
  await page.goto(`${dev.url}${path}`);
  await page.locator("comptoir-chat .launch").click();
  await poll(() => page.locator("comptoir-chat .panel").isVisible()).toBe(true);
  await page.locator("comptoir-chat .panel").evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
}

async function ask(page: Page, text: string) {
  await page.locator("comptoir-chat textarea").fill(text);
  await page.keyboard.press("Enter");
}

const botRows = (page: Page) => page.locator("comptoir-chat .row.bot");

describe("chat widget (doubled endpoint)", () => {
  it("opens from the launcher with focus in the input; Enter sends, Shift+Enter adds a line, Escape closes and focuses the launcher", async () => {
    const page = await newPage();
    const bodies = recordChatBodies(page);
    await fakeChat(page, () => answer({ text: "Bonjour !" }));
    await page.goto(`${dev.url}/`);
    const launcher = page.locator("comptoir-chat .launch");
    await poll(() => launcher.getAttribute("aria-expanded")).toBe("false");

    await launcher.focus();
    await page.keyboard.press("Enter");
    await poll(() => page.locator("comptoir-chat .panel").isVisible()).toBe(true);
    expect(await launcher.getAttribute("aria-expanded")).toBe("true");
    const focused = () => page.evaluate(() => document.querySelector("comptoir-chat")!.shadowRoot!.activeElement?.tagName ?? "none");
    expect(await focused()).toBe("TEXTAREA");
    expect(await page.locator("comptoir-chat [role=log]").getAttribute("aria-live")).toBe("polite");

    await page.keyboard.type("Première ligne");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("seconde ligne");
    expect(bodies).toHaveLength(0);
    await page.keyboard.press("Enter");
    await poll(() => bodies.length).toBe(1);
    expect(bodies[0]).toEqual({ message: "Première ligne\nseconde ligne", messageId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    await poll(() => botRows(page).last().innerText()).toContain("Bonjour\u00a0!"); // French punctuation keeps to its word
    expect(await page.locator("comptoir-chat textarea").inputValue()).toBe("");

    await page.keyboard.press("Escape");
    await poll(() => page.locator("comptoir-chat .panel").isVisible()).toBe(false);
    expect(await focused()).toBe("BUTTON");
    expect(await launcher.getAttribute("aria-expanded")).toBe("false");
    expect(await launcher.getAttribute("aria-label")).toBe("Ouvrir la discussion");
  });

  it("renders product cards with formatted prices, a struck original price, stock, links and their buttons; checkout links as a Payer button", async () => {
    const page = await newPage();
    const bodies = recordChatBodies(page);
    await fakeChat(page, (_body, n) =>
      n > 1 ? answer({ text: "Détails envoyés." }) : answer({
        text: "Voici nos robes :\n• Robe en lin Sable — 89,00 €\n• Robe pull Marine — 1 234,50 € (épuisé)\nGuide des tailles : https://shop.example/tailles.",
        buttons: [
          { title: "Acheter", payload: "buy:ml-robe-lin-sable" },
          { title: "Robe portefeuille T…", payload: "details:p2" },
          { title: "Parler à un humain", payload: "human" },
        ],
        products: [
          product(),
          product({ id: "p2", name: "Robe portefeuille Terracotta", price: "79.00", originalPrice: "99.00" }),
          product({ id: "p3", name: "Robe pull Marine", price: "1234.5", inStock: false, url: null, imageUrl: null }),
        ],
        links: [
          { title: "Robe en lin Sable — 89,00 €", url: "https://checkout.stripe.com/c/pay/cs_test_1", kind: "checkout" },
          { title: "Livraison", url: "https://shop.example/livraison", kind: "info" },
        ],
      }),
    );
    await openWidget(page);
    await ask(page, "Vous avez des robes ?");
    const cards = page.locator("comptoir-chat .card");
    await poll(() => cards.count()).toBe(3);

    expect(await cards.nth(0).locator(".nm").innerText()).toBe("Robe en lin Sable");
    expect(await cards.nth(0).locator(".pr").innerText()).toBe("89,00\u00a0€");
    const link = cards.nth(0).locator("a.cl");
    expect(await link.getAttribute("href")).toBe(`${dev.url}/produit/robe-lin-sable`);
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await cards.nth(0).locator("img").getAttribute("src")).toBe(`${dev.url}/demo/robe-lin-sable.svg`);
    expect(await cards.nth(0).locator(".st").innerText()).toBe("En stock");
    await poll(() => cards.nth(0).locator("img").evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);

    expect(await cards.nth(1).locator(".pr s").innerText()).toBe("99,00\u00a0€");
    expect(await cards.nth(1).locator(".pr s").evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe("line-through");

    expect(await cards.nth(2).locator("a").count()).toBe(0); // no url: not a link
    expect(await cards.nth(2).locator(".pr").innerText()).toBe("1\u202f234,50\u00a0€");
    expect(await cards.nth(2).locator(".st").innerText()).toBe("Épuisé");

    const pay = page.locator("comptoir-chat a.pay");
    expect(await pay.innerText()).toMatch(/^Payer\s+Robe en lin Sable — 89,00 €$/);
    expect(await pay.getAttribute("href")).toBe("https://checkout.stripe.com/c/pay/cs_test_1");
    expect(await page.locator("comptoir-chat a.lk").getAttribute("href")).toBe("https://shop.example/livraison");

    const inline = page.locator("comptoir-chat .row.bot .msg a");
    expect(await inline.last().getAttribute("href")).toBe("https://shop.example/tailles");
    expect(await inline.last().innerText()).toBe("https://shop.example/tailles"); // the final "." stays text
    // Bullet lines that only repeat a card are not shown twice.
    expect(await botRows(page).last().locator(".tx").innerText()).toBe("Voici nos robes\u00a0:\nGuide des tailles\u00a0: https://shop.example/tailles.");

    // Buttons about a product sit on its card; the others stay below as chips.
    expect(await cards.nth(0).locator(".ca").allInnerTexts()).toEqual(["Acheter"]);
    expect(await cards.nth(1).locator(".ca").allInnerTexts()).toEqual(["Détails"]);
    expect(await cards.nth(2).locator(".ca").count()).toBe(0);
    expect(await botRows(page).last().locator(".chip").allInnerTexts()).toEqual(["Parler à un humain"]);
    await cards.nth(1).locator(".ca").click();
    await poll(() => bodies.length).toBe(2);
    expect(bodies[1]).toMatchObject({ message: "Robe portefeuille Terracotta", payload: "details:p2" });
  });

  it("speaks English with data-lang=en, formats prices in English, and sits on the left with data-position=left", async () => {
    const page = await newPage();
    await serveHtml(page, `${dev.url}/test/english.html`, hostPage({ widgetSrc: "/widget.js", attrs: { "data-lang": "en", "data-title": "Lumière", "data-position": "left" }, body: `<div id="Comptoir">a host element named like the widget's API</div>` }));
    await fakeChat(page, () =>
      answer({
        text: "Here you go.",
        products: [product({ originalPrice: "99.00", inStock: false })],
        links: [{ title: "Linen dress", url: "https://checkout.stripe.com/c/pay/x", kind: "checkout" }],
      }),
    );
    await openWidget(page, "/test/english.html");
    expect(await page.locator("comptoir-chat .head h2").innerText()).toBe("Lumière");
    expect(await page.locator("comptoir-chat .launch").evaluate((el: HTMLElement) => el.offsetLeft)).toBe(20); // data-position="left"
    expect(await page.locator("comptoir-chat textarea").getAttribute("placeholder")).toBe("Type your message…");
    await ask(page, "Do you have dresses?");
    await poll(() => page.locator("comptoir-chat .card .pr").innerText().catch(() => "")).toBe("€89.00€99.00");
    expect(await page.locator("comptoir-chat .card .st").innerText()).toBe("Out of stock");
    expect(await page.locator("comptoir-chat a.pay b").innerText()).toBe("Pay");
  });

  it("a button press sends its title as the message and its payload, with the session id", async () => {
    const page = await newPage();
    const bodies = recordChatBodies(page);
    await fakeChat(page, (body, n) =>
      n === 1
        ? answer({ text: "Laquelle ?", buttons: [{ title: "Acheter la robe", payload: "buy:ml-robe-lin-sable" }, { title: "Autre chose", payload: "menu" }] })
        : answer({ text: `Reçu : ${String(body.payload)}` }),
    );
    await openWidget(page);
    await ask(page, "Je veux une robe");
    await page.locator("comptoir-chat .chip", { hasText: "Acheter la robe" }).click();
    await poll(() => botRows(page).last().innerText()).toContain("Reçu\u00a0: buy:ml-robe-lin-sable");
    expect(bodies).toEqual([
      { message: "Je veux une robe", messageId: expect.any(String) },
      { message: "Acheter la robe", payload: "buy:ml-robe-lin-sable", sessionId: "sess-0123456789abcdef", messageId: expect.any(String) },
    ]);
    expect(bodies[0]!.messageId).not.toBe(bodies[1]!.messageId);
    // The pressed button is shown as the shopper's message.
    expect(await page.locator("comptoir-chat .row.me").last().innerText()).toContain("Acheter la robe");
  });

  it("shows the hand-off notice when the conversation goes to a person", async () => {
    const page = await newPage();
    await fakeChat(page, () => answer({ text: "Je transmets la conversation à un conseiller." }, { handoff: true }));
    await openWidget(page);
    await ask(page, "Je voudrais parler à quelqu'un");
    await poll(() => botRows(page).last().locator(".note").innerText().catch(() => "")).toBe("Votre conversation a été transmise à un conseiller.");
    expect(await botRows(page).last().locator(".tx").innerText()).toBe("Je transmets la conversation à un conseiller.");
  });

  it("renders HTML from the server and from the shopper as text, and never links a javascript: URL", async () => {
    const page = await newPage();
    const evil = `<img src=x onerror="window.__xss='reply'"> <script>window.__xss='script'</script>`;
    await fakeChat(page, () =>
      answer({
        text: `${evil} [clic](javascript:alert(1)) **gras**`,
        products: [product({ name: `<img src=x onerror="window.__xss='product'">`, url: "javascript:window.__xss='href'", imageUrl: "javascript:alert(1)" })],
        buttons: [{ title: `<b onmouseover="window.__xss='button'">ok</b>`, payload: "p" }],
        links: [{ title: "<i>lien</i>", url: "javascript:window.__xss='link'", kind: "checkout" }],
      }),
    );
    await openWidget(page);
    const mine = `<img src=x onerror="window.__xss='mine'">`;
    await ask(page, mine);
    await poll(() => page.locator("comptoir-chat .card").count()).toBe(1);

    expect(await page.locator("comptoir-chat .row.me .tx").last().innerText()).toBe(mine);
    expect(await botRows(page).last().locator(".tx").innerText()).toBe(`${evil} [clic](javascript:alert(1)) gras`);
    expect(await page.locator("comptoir-chat .card .nm").innerText()).toBe(`<img src=x onerror="window.__xss='product'">`);
    expect(await page.locator("comptoir-chat .chip").innerText()).toBe(`<b onmouseover="window.__xss='button'">ok</b>`);
    const counts = await page.evaluate(() => {
      const shadow = document.querySelector("comptoir-chat")!.shadowRoot!;
      return {
        imgX: shadow.querySelectorAll("img[src='x'], img[src$='/x']").length + document.querySelectorAll("img[src='x']").length,
        scripts: shadow.querySelectorAll("script").length,
        bold: shadow.querySelectorAll(".chip b, .msg b").length,
        jsLinks: [...shadow.querySelectorAll("a")].filter((a) => !/^https?:/.test(a.getAttribute("href") ?? "")).length,
        anyLinks: shadow.querySelectorAll("a").length,
        strong: shadow.querySelector(".row.bot:last-child strong")?.textContent ?? null,
      };
    });
    expect(counts).toEqual({ imgX: 0, scripts: 0, bold: 0, jsLinks: 0, anyLinks: 0, strong: "gras" });
    await page.locator("comptoir-chat .chip").hover();
    await page.waitForTimeout(50);
    expect(await page.evaluate(() => (window as { __xss?: string }).__xss ?? null)).toBeNull();
  });

  it("streams SSE text deltas as they arrive (split across chunks, CRLF, comments, reset) and ends with the final reply", async () => {
    // A real streaming server on another origin (the widget embedded on a Wix site does the same).
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const accepts: string[] = [];
    let port = 0;
    const server: Server = createServer(async (req, res: ServerResponse) => {
      const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type, accept" };
      if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
      if (req.method === "GET") {
        const html = hostPage({ widgetSrc: `${dev.url}/widget.js`, attrs: { "data-endpoint": `http://127.0.0.1:${port}/api/chat` } });
        return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
      }
      accepts.push(String(req.headers.accept));
      res.writeHead(200, { ...cors, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store" });
      res.write(": keep-alive\n\n");
      res.write('event: delta\ndata: {"text":"Bonjour, "}\n\n');
      res.write('event: delta\r\ndata: {"text":"je cherche "}\r\n\r\nevent: del');
      await released;
      res.write('ta\ndata: {"text":"vos robes…"}\n\nevent: reset\ndata: {}\n\nevent: delta\ndata: {"text":"Bonjour, je cherche"}\n\n');
      await finished;
      const done = answer({ text: "Bonjour, je cherche vos robes… Voici https://shop.example/robes", products: [product()] });
      res.end(`event: done\ndata: ${JSON.stringify(done)}\n\n`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
    try {
      const page = await newPage();
      await page.goto(`http://127.0.0.1:${port}/shop.html`);
      await page.locator("comptoir-chat .launch").click();
      await ask(page, "Des robes ?");
      await poll(() => botRows(page).last().locator(".tx").innerText().catch(() => "")).toMatch(/^Bonjour, je cherche\s?$/);
      expect(await botRows(page).last().getAttribute("aria-busy")).toBe("true");
      expect(await page.locator("comptoir-chat .card").count()).toBe(0);
      release(); // "vos robes…", then a reset (a model failed mid-answer) and a new start
      await poll(() => botRows(page).last().locator(".tx").innerText().catch(() => "")).toBe("Bonjour, je cherche");
      finish();
      await poll(() => page.locator("comptoir-chat .card").count()).toBe(1);
      expect(await botRows(page).last().locator(".tx").innerText()).toBe("Bonjour, je cherche vos robes… Voici https://shop.example/robes");
      expect(await botRows(page).last().locator(".tx a").getAttribute("href")).toBe("https://shop.example/robes");
      expect(await botRows(page).last().getAttribute("aria-busy")).toBeNull();
      expect(accepts[0]).toContain("text/event-stream");
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it("shows a 429 in plain words with the wait from Retry-After, and Retry resends the same message once", async () => {
    const page = await newPage();
    const bodies = recordChatBodies(page);
    await fakeChat(page, async (_body, n, route) => {
      if (n === 1) {
        await route.fulfill({ status: 429, headers: { "retry-after": "17" }, json: { error: { code: "rate_limited", message: "Too many messages." } } });
        return undefined;
      }
      return answer({ text: "Me revoilà." });
    });
    await openWidget(page);
    await ask(page, "Bonjour");
    const err = page.locator("comptoir-chat .err");
    await poll(() => err.innerText().catch(() => "")).toMatch(/^Vous envoyez trop de messages, réessayez dans 17 s\.\s*Réessayer$/);
    await err.locator("button").click();
    await poll(() => botRows(page).last().innerText()).toContain("Me revoilà.");
    expect(await err.count()).toBe(0);
    expect(bodies).toEqual([
      { message: "Bonjour", messageId: expect.any(String) },
      { message: "Bonjour", messageId: bodies[0]!.messageId }, // same id: the server handles it once
    ]);
    expect(await page.locator("comptoir-chat .row.me").count()).toBe(1);
  });

  it("says when the shop cannot be reached or is down, and Retry works", async () => {
    const page = await newPage();
    const bodies = recordChatBodies(page);
    await fakeChat(page, async (_body, n, route) => {
      if (n === 1) return void (await route.abort("internetdisconnected"));
      if (n === 2) return void (await route.fulfill({ status: 503, json: { error: { code: "store_unavailable", message: "down" } } }));
      return answer({ text: "C'est reparti." });
    });
    await openWidget(page);
    await ask(page, "Des bougies ?");
    const err = page.locator("comptoir-chat .err");
    await poll(() => err.locator("span").innerText().catch(() => "")).toBe("Impossible de joindre la boutique. Vérifiez votre connexion et réessayez.");
    await err.locator("button").click();
    await poll(() => err.locator("span").innerText().catch(() => "")).toBe("L'assistant est momentanément indisponible. Réessayez dans un instant.");
    await err.locator("button").click();
    await poll(() => botRows(page).last().innerText()).toContain("C'est reparti.");
    expect(bodies.map((b) => b.message)).toEqual(["Des bougies ?", "Des bougies ?", "Des bougies ?"]);
    expect(new Set(bodies.map((b) => b.messageId)).size).toBe(1);
  });

  it("keeps the session id and the conversation in localStorage across a reload", async () => {
    const page = await newPage();
    const bodies = recordChatBodies(page);
    await fakeChat(page, (_b, n) => answer({ text: `Réponse ${n}`, products: n === 1 ? [product()] : [] }, { sessionId: "sess-kept-across-pages" }));
    await openWidget(page);
    await ask(page, "Premier message");
    await poll(() => botRows(page).last().innerText()).toContain("Réponse 1");
    await page.reload();
    await page.locator("comptoir-chat .launch").click();
    expect(await page.locator("comptoir-chat .row.me").innerText()).toContain("Premier message");
    expect(await page.locator("comptoir-chat .card").count()).toBe(1);
    await ask(page, "Deuxième message");
    await poll(() => botRows(page).last().innerText()).toContain("Réponse 2");
    expect(bodies[1]).toEqual({ message: "Deuxième message", sessionId: "sess-kept-across-pages", messageId: expect.any(String) });
    const stored = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.endsWith(":session"))?.[1]);
    expect(stored).toBe(JSON.stringify("sess-kept-across-pages"));
  });

  it("is not broken by hostile host CSS, does not restyle the host page, and loads once", async () => {
    const page = await newPage();
    const hostile = `<style>
      * { font-size: 40px !important; color: lime !important; }
      button, div, textarea { display: none !important; background: red !important; }
      comptoir-chat { display: none !important; transform: scale(.2) !important; opacity: 0 !important; }
      body { font-family: "Comic Sans MS", cursive; }
    </style>`;
    await serveHtml(page, `${dev.url}/test/hostile.html`, hostPage({ widgetSrc: "/widget.js", head: hostile, attrs: { "data-color": "#0a7d4f" } }).replace("</body>", `<script src="/widget.js"></script></body>`));
    await fakeChat(page, () => answer({ text: "Toujours lisible." }));
    await page.goto(`${dev.url}/test/hostile.html`);
    await page.waitForLoadState("load");
    const before = await page.evaluate(() => {
      const b = document.getElementById("host-button")!;
      const cs = getComputedStyle(b);
      return { display: cs.display, background: cs.backgroundColor, font: cs.fontSize, sheets: document.styleSheets.length, head: document.head.children.length };
    });
    expect(await page.locator("comptoir-chat").count()).toBe(1);
    await page.locator("comptoir-chat .launch").click();
    const look = await page.evaluate(() => {
      const shadow = document.querySelector("comptoir-chat")!.shadowRoot!;
      const panel = shadow.querySelector<HTMLElement>(".panel")!;
      const launch = shadow.querySelector<HTMLElement>(".launch")!;
      return { launch: getComputedStyle(launch).backgroundColor, width: panel.offsetWidth, display: getComputedStyle(panel).display, font: getComputedStyle(panel).fontSize, color: getComputedStyle(shadow.querySelector(".msg")!).color };
    });
    expect(look).toEqual({ launch: "rgb(10, 125, 79)", width: 384, display: "flex", font: "15px", color: "rgb(29, 31, 35)" });
    await ask(page, "Test");
    await poll(() => botRows(page).last().innerText()).toContain("Toujours lisible.");
    const after = await page.evaluate(() => {
      const b = document.getElementById("host-button")!;
      const cs = getComputedStyle(b);
      return { display: cs.display, background: cs.backgroundColor, font: cs.fontSize, sheets: document.styleSheets.length, head: document.head.children.length };
    });
    expect(after).toEqual(before);
  });

  it("fills the screen on a phone and hides the launcher while open", async () => {
    const page = await newPage({ width: 390, height: 844 });
    await openWidget(page);
    const box = await page.locator("comptoir-chat .panel").boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    expect(await page.locator("comptoir-chat .launch").isVisible()).toBe(false);
    expect(await page.locator("comptoir-chat textarea").evaluate((t) => getComputedStyle(t).fontSize)).toBe("16px"); // no iOS zoom
    await page.locator("comptoir-chat .x:not(.del)").click();
    expect(await page.locator("comptoir-chat .launch").isVisible()).toBe(true);
  });
});
