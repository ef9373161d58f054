/**
 * The owner's inbox in real Chromium against the dev server (PGlite, offline assistant): sign
 * in with the code read from the outbox; a web shopper asks for a person in the widget (second
 * browser context); the owner sees it under "to answer", replies; the reply appears in the
 * shopper's widget; the owner gives it back; the shopper's next message is answered by the
 * assistant. The phone layout at 375 px, the keyboard, and the reply-link flow.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { createTestServices } from "../helpers/services.js";
import { lastCode, outboxMails } from "../owner/harness.js";
import { freePort, launchChromium } from "./browser.js";

const OWNER = "marie@maison-lumiere.example";
const poll = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 100 });

let dev: DevServer;
let browser: Browser;
let outbox: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  outbox = mkdtempSync(path.join(tmpdir(), "comptoir-inbox-browser-"));
  const port = await freePort();
  [dev, browser] = await Promise.all([
    (async () =>
      startDevServer({
        port,
        quiet: true,
        services: await createTestServices({ PUBLIC_BASE_URL: `http://localhost:${port}`, OUTBOX_DIR: outbox, OWNER_EMAILS: OWNER, OWNER_DISPLAY_NAME: "Marie" }),
      }))(),
    launchChromium(),
  ]);
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await dev?.close();
  await dev?.services.store.close();
  rmSync(outbox, { recursive: true, force: true });
  expect(pageErrors, "uncaught errors in the pages").toEqual([]);
});

async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: "fr-FR" });
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
  return page;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${dev.url}/admin/`);
  await page.locator("#email").fill(OWNER);
  await page.keyboard.press("Enter");
  await page.locator("#code").waitFor();
  await dev.idle(); // the code is emailed after the response
  await page.locator("#code").fill(await lastCode(outbox, OWNER));
  await page.keyboard.press("Enter");
  await page.locator("#tab-needs_human").waitFor();
}

async function shopperAsksForAPerson(page: Page, first = "Bonjour, vous avez des bougies ?"): Promise<void> {
  await page.goto(`${dev.url}/`);
  await page.locator("comptoir-chat .launch").click();
  for (const text of [first, "je voudrais parler à un humain"]) {
    await page.locator("comptoir-chat textarea").fill(text);
    await page.keyboard.press("Enter");
    await page.locator("comptoir-chat .row.bot .msg:not(.dots)").last().waitFor();
    await poll(() => page.locator("comptoir-chat .dots").count()).toBe(0);
  }
  await page.locator("comptoir-chat .note").first().waitFor();
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe("the owner's inbox", { timeout: 120_000 }, () => {
  it("takes a web shopper from the widget, answers in their widget, gives back to the assistant", async () => {
    const owner = await newPage();
    await signIn(owner);
    const shopper = await newPage({ width: 390, height: 844 });
    await shopperAsksForAPerson(shopper);

    await owner.locator("#tab-needs_human").click();
    const item = owner.locator(".item").first();
    await poll(() => owner.locator(".item").count()).toBeGreaterThan(0);
    expect(await item.textContent()).toMatch(/attend depuis/);
    await item.click();
    await owner.locator("#reply").waitFor();
    expect(await owner.locator("#transcript").textContent()).toContain("je voudrais parler à un humain");
    expect(await owner.locator("#hint").textContent()).toMatch(/chat du site/);

    await owner.locator("#reply").fill("Bonjour, ici Marie ! Quelle bougie vous ferait plaisir ?");
    await owner.locator("button.send").click();
    await poll(() => owner.locator("#status").textContent()).toMatch(/Réponse affichée dans le chat/);

    // The shopper's widget polls while a person answers (every 3 s), while its page is visible.
    await shopper.bringToFront();
    // (The widget sets French punctuation with a no-break space: compare the words.)
    await poll(() => shopper.locator("comptoir-chat .log").textContent()).toContain("Quelle bougie vous ferait plaisir");
    expect(await shopper.locator("comptoir-chat .log").textContent()).toContain("Marie, de la boutique, vous répond.");

    await owner.bringToFront();
    await owner.locator("#release").click();
    await poll(() => owner.locator("#status").textContent()).toMatch(/rendue à l'assistant/);
    await shopper.bringToFront();
    await poll(() => shopper.locator("comptoir-chat .log").textContent()).toContain("Je reprends la main");

    const rows = await shopper.locator("comptoir-chat .row.bot").count();
    const cards = await shopper.locator("comptoir-chat .card").count();
    await shopper.locator("comptoir-chat textarea").fill("vous avez des bougies parfumées ?");
    await shopper.keyboard.press("Enter");
    await poll(() => shopper.locator("comptoir-chat .card").count()).toBeGreaterThan(cards); // the assistant's product cards
    expect(await shopper.locator("comptoir-chat .row.bot").count()).toBeGreaterThan(rows);
  });

  it("works at 375 px wide and with the keyboard alone", async () => {
    const shopper = await newPage({ width: 390, height: 844 });
    await shopperAsksForAPerson(shopper, "Bonjour, je cherche un foulard");
    const owner = await newPage({ width: 375, height: 812 });
    await signIn(owner);
    expect(await noHorizontalScroll(owner)).toBe(true);
    await poll(() => owner.locator(".item").count()).toBeGreaterThan(0);

    // Keyboard: Tab to the first conversation, Enter opens it, the reply box takes the focus.
    await owner.locator("#tab-needs_human").focus();
    let guard = 0;
    while (!(await owner.evaluate(() => document.activeElement?.classList.contains("item"))) && guard++ < 10) await owner.keyboard.press("Tab");
    await owner.keyboard.press("Enter");
    await poll(() => owner.evaluate(() => document.activeElement?.id)).toBe("reply");
    expect(await noHorizontalScroll(owner)).toBe(true);
    expect(await owner.locator(".listpane").isVisible()).toBe(false); // one pane at a time on a phone
    await owner.keyboard.type("Je regarde nos foulards tout de suite.");
    await owner.keyboard.press("Control+Enter");
    await poll(() => owner.locator("#transcript").textContent()).toContain("Je regarde nos foulards tout de suite.");
    await owner.locator("button.back").click();
    expect(await owner.locator(".listpane").isVisible()).toBe(true);
  });

  it("opens one conversation from the notification's reply link, once, and nothing else", async () => {
    const shopper = await newPage({ width: 390, height: 844 });
    await shopperAsksForAPerson(shopper, "Bonjour, c'est pour un mariage");
    await dev.idle();
    const mail = (await outboxMails(outbox)).filter((m) => /à reprendre/.test(m.subject)).at(-1);
    const link = /http:\/\/localhost:\d+\/admin\/#link=[A-Za-z0-9_-]+/.exec(mail?.text ?? "")?.[0];
    expect(link, mail?.text).toBeTruthy();

    const phone = await newPage({ width: 375, height: 812 });
    await phone.goto(link!);
    await phone.locator("#reply").waitFor();
    expect(phone.url()).not.toContain("#link="); // the token leaves the address bar
    expect(await phone.locator("#transcript").textContent()).toContain("Bonjour, c'est pour un mariage");
    expect(await phone.locator(".tabs").count()).toBe(0); // no inbox, no leads, no orders
    await phone.locator("#reply").fill("Félicitations ! Je vous montre nos coffrets.");
    await phone.locator("button.send").click();
    await shopper.bringToFront();
    await poll(() => shopper.locator("comptoir-chat .log").textContent()).toContain("Je vous montre nos coffrets.");

    const again = await newPage();
    await again.goto(link!);
    await again.locator("#email").waitFor();
    expect(await again.locator("#status").textContent()).toMatch(/déjà servi ou a expiré/);
  });
});
