/**
 * Signing in to the inbox: an emailed code for the owner's addresses only (202 for any address),
 * a session cookie with the right flags, 5 wrong codes void the code, codes and sessions expire
 * (database clock), logging out on this device or everywhere.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { setDbNow } from "../helpers/store.js";
import { call, cookieOf, jsonOf, lastCode, outboxMails, OWNER, ownerWorld, signIn, type OwnerWorld } from "./harness.js";

let world: OwnerWorld;
beforeAll(async () => {
  world = await ownerWorld();
});
afterAll(() => world.close());
afterEach(() => setDbNow(world.services.store as PgliteStore, null));

const at = (iso: string) => setDbNow(world.services.store as PgliteStore, iso);

describe("POST /api/admin/login", () => {
  it("answers 202 to any address but emails a code only to an owner's", async () => {
    const before = (await outboxMails(world.outbox)).length;
    const stranger = await call("/api/admin/login", { body: { email: "someone@else.example" } });
    const owner = await call("/api/admin/login", { body: { email: "Marie@Maison-Lumiere.example" } });
    expect(stranger.status).toBe(202);
    expect(owner.status).toBe(202);
    expect(await stranger.text()).toBe(await owner.text());
    const mails = (await outboxMails(world.outbox)).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toContain(OWNER);
    expect(mails[0]!.subject).toMatch(/code de connexion : \d{6}$/);
    expect(mails[0]!.text).toContain("10 minutes");
  });

  it("rejects a body that is not an email address with 400", async () => {
    const res = await call("/api/admin/login", { body: { email: "not-an-address" } });
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.code).toBe("validation_failed");
  });

  it("stores the code hashed, never in clear", async () => {
    await call("/api/admin/login", { body: { email: OWNER } });
    const code = await lastCode(world.outbox);
    const store = world.services.store as PgliteStore;
    const { rows } = await store.db.query<{ code_hash: string }>("select code_hash from owner_login_code where email = $1", [OWNER]);
    expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.code_hash).not.toContain(code);
  });
});

it("sends at most 5 codes per address per 15 minutes (the 6th request still answers 202)", async () => {
  const email = "owner6@maison-lumiere.example";
  const count = async () => (await outboxMails(world.outbox)).filter((m) => m.to.includes(email)).length;
  for (let i = 0; i < 6; i++) expect((await call("/api/admin/login", { body: { email } })).status).toBe(202);
  expect(await count()).toBe(5);
});

describe("POST /api/admin/login/verify", () => {
  it("exchanges the code for an HttpOnly, SameSite=Strict, Secure session cookie, once", async () => {
    await call("/api/admin/login", { body: { email: OWNER } });
    const code = await lastCode(world.outbox);
    const res = await call("/api/admin/login/verify", { body: { email: OWNER, code } });
    expect(res.status).toBe(204);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^comptoir_owner=[A-Za-z0-9_-]{43}; /);
    for (const flag of ["HttpOnly", "SameSite=Strict", "Path=/", "Secure", `Max-Age=${30 * 24 * 3600}`]) expect(cookie).toContain(flag);

    const session = await call("/api/admin/session", { cookie: cookieOf(res) });
    expect(session.status).toBe(200);
    expect(await jsonOf(session)).toEqual({ email: OWNER, scope: null, ref: null });

    const again = await call("/api/admin/login/verify", { body: { email: OWNER, code } });
    expect(again.status).toBe(401);
  });

  it("leaves Secure out on http://localhost (the dev server)", async () => {
    await call("/api/admin/login", { body: { email: OWNER } });
    const code = await lastCode(world.outbox);
    const { POST } = await import("../../api/admin/login/verify.js");
    const res = await POST(new Request("http://localhost:3000/api/admin/login/verify", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ email: OWNER, code }),
    }));
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).not.toContain("Secure");
  });

  it("voids the code at the 5th wrong try (429), even for the right code after it; a new code works", async () => {
    const email = "owner7@maison-lumiere.example";
    await call("/api/admin/login", { body: { email } });
    const code = await lastCode(world.outbox, email);
    const wrong = code === "000000" ? "111111" : "000000";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call("/api/admin/login/verify", { body: { email, code: wrong } })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const right = await call("/api/admin/login/verify", { body: { email, code } });
    expect(right.status).toBe(429);
    expect((await jsonOf(right)).error.code).toBe("rate_limited");

    await call("/api/admin/login", { body: { email } });
    const fresh = await lastCode(world.outbox, email);
    expect((await call("/api/admin/login/verify", { body: { email, code: fresh } })).status).toBe(204);
  });

  it("refuses a code after 10 minutes", async () => {
    const email = "owner2@maison-lumiere.example";
    await at("2026-12-01T10:00:00Z");
    await call("/api/admin/login", { body: { email } });
    const code = await lastCode(world.outbox, email);
    await at("2026-12-01T10:09:59Z");
    expect((await call("/api/admin/login/verify", { body: { email, code: code === "000000" ? "111111" : "000000" } })).status).toBe(401);
    await at("2026-12-01T10:10:01Z");
    expect((await call("/api/admin/login/verify", { body: { email, code } })).status).toBe(401);
  });

  it("refuses a malformed code with 400 and counts no try", async () => {
    const res = await call("/api/admin/login/verify", { body: { email: OWNER, code: "12ab56" } });
    expect(res.status).toBe(400);
  });
});

describe("sessions", () => {
  it("expire after 7 idle days (401), and are kept alive by use up to 30 days", async () => {
    await at("2026-12-01T10:00:00Z");
    const idle = await signIn(world, "owner1@maison-lumiere.example");
    const used = await signIn(world, "owner1@maison-lumiere.example");
    for (const day of ["2026-12-07T10:00:00Z", "2026-12-13T10:00:00Z"]) {
      await at(day);
      expect((await call("/api/admin/conversations", { cookie: used })).status).toBe(200);
    }
    expect((await call("/api/admin/conversations", { cookie: idle })).status).toBe(401);
    for (const day of ["2026-12-19T10:00:00Z", "2026-12-25T10:00:00Z", "2026-12-31T09:00:00Z"]) {
      await at(day);
      expect((await call("/api/admin/conversations", { cookie: used })).status).toBe(200);
    }
    await at("2026-12-31T10:00:01Z");
    const expired = await call("/api/admin/conversations", { cookie: used });
    expect(expired.status).toBe(401);
    expect((await jsonOf(expired)).error.code).toBe("unauthorized");
  });

  it("are stored hashed: the table never holds the cookie's token", async () => {
    const cookie = await signIn(world, "owner5@maison-lumiere.example");
    const token = cookie.split("=")[1]!;
    const store = world.services.store as PgliteStore;
    const { rows } = await store.db.query("select * from owner_session where token_hash = $1 or email = $1", [token]);
    expect(rows).toHaveLength(0);
  });
});

describe("POST /api/admin/logout", () => {
  it("ends this device's session only", async () => {
    const phone = await signIn(world, "owner3@maison-lumiere.example");
    const laptop = await signIn(world, "owner3@maison-lumiere.example");
    const res = await call("/api/admin/logout", { method: "POST", cookie: phone });
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await call("/api/admin/conversations", { cookie: phone })).status).toBe(401);
    expect((await call("/api/admin/conversations", { cookie: laptop })).status).toBe(200);
  });

  it("ends every session of the owner with {all: true}, not another owner's", async () => {
    const phone = await signIn(world, "owner4@maison-lumiere.example");
    const laptop = await signIn(world, "owner4@maison-lumiere.example");
    const paul = await signIn(world, "paul@maison-lumiere.example");
    expect((await call("/api/admin/logout", { body: { all: true }, cookie: phone })).status).toBe(204);
    expect((await call("/api/admin/conversations", { cookie: laptop })).status).toBe(401);
    expect((await call("/api/admin/conversations", { cookie: paul })).status).toBe(200);
  });
});
