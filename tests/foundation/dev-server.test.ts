import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { createTestServices } from "../helpers/services.js";

let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer({ port: 0, quiet: true, services: await createTestServices() });
});
afterAll(async () => {
  await dev.close();
  await dev.services.store.close();
});

describe("dev server", () => {
  it("boots on a free port and GET /api/health answers 200 without secrets", async () => {
    const res = await fetch(`${dev.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ok", store: "pglite", database: { reachable: true } });
    expect(body.integrations).toMatchObject({ wix: { configured: false }, stripe: { configured: false } });
  });

  it("answers a POST to an unknown route with 404 JSON", async () => {
    const res = await fetch(`${dev.url}/api/does-not-exist`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("refuses path tricks in route names", async () => {
    const res = await fetch(`${dev.url}/api/..%2Fscripts%2Fdev-server`);
    expect(res.status).toBe(404);
  });
});
