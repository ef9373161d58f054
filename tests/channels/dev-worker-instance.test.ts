/**
 * `npm run dev` on PostgreSQL with WORKER_SECRET: the webhook's call to /api/channel-worker is
 * served by the dev server's second instance (a worker thread with its own configuration, pool and
 * event loop, scripts/dev-instance.ts), which answers the shopper; the acknowledging instance
 * never falls back to answering itself. The answer goes to a Graph API double that is a real
 * HTTP server: the worker thread's requests leave the test process's msw.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signMetaBody } from "../../lib/channels/signature.js";
import { inboundGet, outboundList } from "../../lib/channels/store.js";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { TEST_DATABASE_URL, createPgDatabase } from "../helpers/store.js";
import { APP_SECRET, META_ENV, waMessages, waPayload, waText, wamid } from "./meta-fixtures.js";

const WORKER_SECRET = "worker-secret-for-the-dev-instance-0123456789";

/** The Graph API's send endpoint, answering as WhatsApp does; records each message sent. */
async function startGraph(): Promise<{ url: string; sent: Array<{ to: string; type: string }>; close(): Promise<void> }> {
  const sent: Array<{ to: string; type: string }> = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (c: Buffer) => (body += c));
    request.on("end", () => {
      if (request.method === "POST" && /\/messages$/.test(request.url ?? "")) {
        const m = JSON.parse(body) as { to: string; type: string };
        sent.push({ to: m.to, type: m.type });
        response.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({ messaging_product: "whatsapp", contacts: [{ input: m.to, wa_id: m.to }], messages: [{ id: `wamid.out${sent.length}` }] }),
        );
        return;
      }
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "no such endpoint" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe.runIf(TEST_DATABASE_URL)("dev server on PostgreSQL: the worker route in its second instance", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let graph: Awaited<ReturnType<typeof startGraph>>;
  let dev: DevServer;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await createPgDatabase();
    graph = await startGraph();
    const port = await freePort();
    // The dev server reads its configuration from the environment (lib/config.ts), and so does
    // its second instance, which starts with a copy of it.
    Object.assign(process.env, {
      ...META_ENV,
      LOG_LEVEL: "silent",
      PUBLIC_BASE_URL: "http://shop.test",
      DATABASE_URL: db.url,
      META_GRAPH_BASE_URL: graph.url,
      WORKER_SECRET,
      WORKER_BASE_URL: `http://127.0.0.1:${port}`,
    });
    for (const key of ["SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"]) delete process.env[key];
    dev = await startDevServer({ port, quiet: true });
  });

  afterAll(async () => {
    await dev?.close();
    await dev?.services.store.close();
    await graph?.close();
    await db?.drop();
    process.env = saved;
  });

  it("acknowledges at once, and the second instance answers the shopper exactly once", async () => {
    const fallback = vi.spyOn(dev.services.log, "error");
    const from = "33612340001";
    const id = wamid();
    const body = JSON.stringify(waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])]));
    const ack = await fetch(`${dev.url}/api/whatsapp-webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signMetaBody(body, APP_SECRET) },
      body,
    });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ received: true, messages: 1, duplicates: 0 });

    // The answer's parts are recorded before they are sent, then marked sent one by one.
    await vi.waitFor(
      async () => {
        const parts = await outboundList(dev.services.store, "whatsapp", { userId: from });
        expect(parts.length).toBeGreaterThan(0);
        expect(parts.every((p) => p.status === "sent")).toBe(true);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect((await inboundGet(dev.services.store, "whatsapp", id))?.status).toBe("done");
    expect(graph.sent.length).toBeGreaterThan(0);
    expect(graph.sent.every((m) => m.to === from)).toBe(true);
    expect(graph.sent.every((m) => ["text", "interactive", "template"].includes(m.type))).toBe(true);
    const sends = await outboundList(dev.services.store, "whatsapp", { userId: from });
    expect(sends.map((s) => s.status)).toEqual(graph.sent.map(() => "sent"));
    const sentOnce = graph.sent.length;
    // The call to the worker was accepted: the acknowledging instance did not answer in its place.
    expect(fallback).not.toHaveBeenCalled();

    // The same delivery again (Meta retries): acknowledged as a duplicate, nothing sent twice.
    const again = await fetch(`${dev.url}/api/whatsapp-webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signMetaBody(body, APP_SECRET) },
      body,
    });
    expect(await again.json()).toMatchObject({ received: true, messages: 0, duplicates: 1 });
    await dev.idle();
    expect(graph.sent).toHaveLength(sentOnce);
  });
});
