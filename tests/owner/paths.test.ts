/**
 * The public paths with a conversation id (/api/admin/conversations/{id}/reply, …) reach their
 * route file on every platform: Vercel rewrites, Netlify config.path, the dev server; the
 * handler reads the id from the path, or from ?id= after a rewrite.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PATH_ROUTES, conversationIdOf, routeForPath, vercelRewrites } from "../../lib/owner/paths.js";
import { wrappers } from "../../scripts/gen-netlify-functions.js";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { ownerWorld, type OwnerWorld } from "./harness.js";

const ID = "0b9d7c1e-2f4a-4c8e-9d1a-5e6f7a8b9c0d";

describe("conversation paths", () => {
  it("vercel.json rewrites exactly the table's paths", () => {
    const vercel = JSON.parse(readFileSync("vercel.json", "utf8")) as { rewrites: { source: string }[] };
    expect(vercel.rewrites.filter((r) => r.source.startsWith("/api/admin/"))).toEqual(vercelRewrites());
  });

  it("each Netlify function serves its public paths", () => {
    for (const r of ADMIN_PATH_ROUTES) {
      const w = wrappers().find((x) => x.route === r.route);
      expect(w?.source, r.route).toContain(JSON.stringify(r.path));
    }
  });

  it("reads the id from the path or from ?id=, and nothing else", () => {
    expect(conversationIdOf(new URL(`http://x/api/admin/conversations/${ID}/reply`))).toBe(ID);
    expect(conversationIdOf(new URL(`http://x/api/admin/conversations/${ID.toUpperCase()}`))).toBe(ID);
    expect(conversationIdOf(new URL(`http://x/api/admin/reply?id=${ID}`))).toBe(ID);
    expect(conversationIdOf(new URL("http://x/api/admin/conversations/12/reply"))).toBeNull();
    expect(conversationIdOf(new URL("http://x/api/admin/reply?id=' or 1=1"))).toBeNull();
    expect(routeForPath(`/api/admin/conversations/${ID}/close`)).toBe("admin/close");
    expect(routeForPath(`/api/admin/conversations/${ID}/close/extra`)).toBeNull();
    expect(routeForPath("/api/admin/conversations")).toBeNull();
  });
});

describe("the dev server", () => {
  let world: OwnerWorld;
  let dev: DevServer;
  beforeAll(async () => {
    world = await ownerWorld();
    dev = await startDevServer({ port: 0, services: world.services, quiet: true });
  });
  afterAll(async () => {
    await dev.close();
    await world.close();
  });

  it("serves the id paths (401 without a session, not 404) and the inbox page", async () => {
    for (const suffix of ["", "/reply", "/release", "/close", "/note"]) {
      const res = await fetch(`${dev.url}/api/admin/conversations/${ID}${suffix}`, suffix ? { method: "POST" } : {}); // no body either: the session is checked before the body is read
      expect(res.status, suffix).toBe(401);
    }
    const page = await fetch(`${dev.url}/admin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
  });
});
