/**
 * Browser-test helpers: a headless Chromium driven by playwright-core (Debian's when it is
 * installed, else the one inside the `@sparticuz/chromium` npm package, so `npm install` is
 * enough), a free port, host pages served through page.route, and chat request recording.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium, type Browser, type Page, type Request } from "playwright-core";

/** Debian's Chromium, preferred when present (CI images and developer machines with apt). */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Flags for both binaries: no sandbox (tests may run as root), nothing phoning home. */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * `@sparticuz/chromium`'s own flags minus the ones that would weaken what the widget tests
 * check (same-origin policy, mixed content, site isolation), its headless-mode flag (playwright
 * passes its own) and `--single-process` (made for AWS Lambda; here it closes the browser when a
 * second context opens).
 */
const SPARTICUZ_DROPPED = /^--(disable-web-security|allow-running-insecure-content|disable-site-isolation-trials|headless|single-process)\b/;

export interface ChromiumBinary { executablePath: string; args: string[]; source: "debian" | "npm" }

/** Which Chromium to launch: Debian's when installed, else the npm package's (unpacked to /tmp once). */
export async function chromiumBinary(): Promise<ChromiumBinary> {
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: ARGS, source: "debian" };
  const { default: sparticuz } = await import("@sparticuz/chromium");
  const own = sparticuz.args.filter((a) => !SPARTICUZ_DROPPED.test(a));
  const executablePath = await withUnpackLock(async () => {
    // A binary without our marker may be half written by a process that died: unpack again.
    if (!existsSync(READY)) rmSync(path.join(tmpdir(), "chromium"), { force: true });
    const bin = await sparticuz.executablePath();
    writeFileSync(READY, bin);
    return bin;
  });
  return { executablePath, args: [...new Set([...own, ...ARGS])], source: "npm" };
}

/** Written once the npm Chromium is fully unpacked in the temp folder. */
const READY = path.join(tmpdir(), "chromium.comptoir-ready");
const LOCK = path.join(tmpdir(), "chromium.comptoir-lock");

/**
 * `@sparticuz/chromium` unpacks into the shared temp folder and only checks that the file
 * exists, so parallel test files (vitest forks) would start a binary another one is still
 * writing (ETXTBSY). One process unpacks under a directory lock; the others wait for it.
 */
async function withUnpackLock<T>(fn: () => Promise<T>): Promise<T> {
  const until = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      // A lock older than two minutes belongs to a process that died while unpacking.
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`timed out waiting for ${LOCK} (another process unpacking Chromium)`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Launches Chromium with a fresh profile; fails loudly (never skips) when no binary can start. */
export async function launchChromium(): Promise<Browser> {
  const bin = await chromiumBinary();
  return chromium.launch({ executablePath: bin.executablePath, args: bin.args, timeout: 30_000 });
}

/** A TCP port that was free a moment ago (the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Serves `html` at `url` for this page only (a host page with its own widget tag). */
export async function serveHtml(page: Page, url: string, html: string): Promise<void> {
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
}

/** A minimal host page embedding the widget. */
export function hostPage(opts: { widgetSrc: string; attrs?: Record<string, string>; head?: string; body?: string }): string {
  const attrs = Object.entries(opts.attrs ?? {})
    .map(([k, v]) => ` ${k}="${v.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"`)
    .join("");
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${opts.head ?? ""}</head>` +
    `<body>${opts.body ?? "<h1>Ma boutique</h1><button id=host-button>Bouton de la boutique</button>"}<script src="${opts.widgetSrc}"${attrs}></script></body></html>`;
}

/** The JSON body of every chat POST the page sends (in order). */
export function recordChatBodies(page: Page, match = "/api/chat"): Array<Record<string, unknown>> {
  const bodies: Array<Record<string, unknown>> = [];
  page.on("request", (r: Request) => {
    if (r.method() === "POST" && r.url().includes(match)) bodies.push(JSON.parse(r.postData() ?? "null") as Record<string, unknown>);
  });
  return bodies;
}
