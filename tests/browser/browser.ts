/**
 * Browser-test helpers: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), a free port, host pages served through page.route, and chat request recording.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { chromium, type Browser, type Page, type Request } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

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

/** Launches Chromium with a fresh profile; fails loudly (never skips) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the browser tests need it. Install it with ` +
        "`apt-get update && apt-get install -y chromium` (.ci/run does this in CI).",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
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
