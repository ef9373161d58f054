/**
 * Rate limits are keyed by the client address the platform reports, never by a header the
 * client writes: X-Forwarded-For is ignored everywhere; Vercel's x-real-ip, Netlify's
 * context.ip and the dev server's socket address are used.
 */
import type { Context } from "@netlify/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../api/lead.js";
import { netlifyHandler } from "../../netlify/adapter.js";
import { clientIp, route } from "../../lib/route.js";
import type { Services } from "../../lib/services.js";
import { startDevServer } from "../../scripts/dev-server.js";
import { createTestServices, req } from "../helpers/services.js";

let services: Services;
beforeAll(async () => {
  services = await createTestServices({ LEAD_RATE_IP_LIMIT: "2" });
});
afterAll(() => services.store.close());

let n = 0;
const lead = () => ({ email: `visitor${++n}@example.fr`, name: "Visiteur" });

describe("client address", () => {
  it("a client rotating X-Forwarded-For still hits the per-address lead limit", async () => {
    const statuses: number[] = [];
    for (const forged of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
      const res = await POST(req("/api/lead", { body: lead(), headers: { "x-real-ip": "203.0.113.50", "x-forwarded-for": forged } }));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 429]);
  });

  it("on the dev server, a client rotating X-Forwarded-For and X-Real-IP is limited by its socket address", async () => {
    const s = await createTestServices({ LEAD_RATE_IP_LIMIT: "2" });
    const dev = await startDevServer({ port: 0, quiet: true, services: s });
    try {
      const statuses: number[] = [];
      for (const forged of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
        const res = await fetch(`${dev.url}/api/lead`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": forged, "x-real-ip": forged },
          body: JSON.stringify(lead()),
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      expect(statuses).toEqual([201, 201, 429]);
      await dev.idle();
    } finally {
      await dev.close();
      await s.store.close();
    }
  });

  it("on Netlify, the address is context.ip, whatever the headers say", async () => {
    const probe = route("ip-probe", { GET: { handler: ({ ip }) => ({ ip }) } });
    const context = { ip: "192.0.2.77", waitUntil: () => {}, deploy: { context: "dev" } } as unknown as Context;
    const res = await netlifyHandler(probe)(req("/api/ip-probe", { headers: { "x-forwarded-for": "198.51.100.9", "x-real-ip": "198.51.100.10" } }), context);
    expect(await res.json()).toEqual({ ip: "192.0.2.77" });
  });

  it.each([
    ["vercel", { "x-real-ip": "192.0.2.1", "x-forwarded-for": "198.51.100.9, 192.0.2.1" }, undefined, "192.0.2.1"],
    ["vercel", { "x-forwarded-for": "198.51.100.9" }, undefined, "unknown"],
    ["netlify", { "x-nf-client-connection-ip": "192.0.2.2", "x-forwarded-for": "198.51.100.9" }, undefined, "192.0.2.2"],
    ["netlify", { "x-nf-client-connection-ip": "192.0.2.2" }, { ip: "192.0.2.3" }, "192.0.2.3"],
    ["node", { "x-real-ip": "192.0.2.4", "x-forwarded-for": "198.51.100.9" }, undefined, "192.0.2.4"],
    ["node", { "x-real-ip": "198.51.100.9" }, { ip: "::1" }, "::1"],
    ["node", { "x-forwarded-for": "198.51.100.9" }, undefined, "unknown"],
  ] as const)("on %s with headers %j and platform %j the address is %s", (platform, headers, context, expected) => {
    expect(clientIp(req("/x", { headers }), platform, context)).toBe(expected);
  });
});
