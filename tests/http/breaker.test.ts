/** The SQL breaker state machine, on PGlite with the database clock pinned (app_now()). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BreakerOpenError, UpstreamError, withBreaker } from "../../lib/http/index.js";
import { createLogger } from "../../lib/log.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { loadConfig } from "../../lib/config.js";
import { createTestStore, setDbNow } from "../helpers/store.js";

let store: PgliteStore;
const T0 = Date.parse("2026-03-01T10:00:00Z");
const at = (ms: number) => setDbNow(store, new Date(T0 + ms));
const settings = { ...loadConfig({}).breakers, hf: { threshold: 3, openMs: 30_000 } };
const deps = () => ({ store, log: createLogger("silent"), settings });
const down = () => Promise.reject(new UpstreamError({ service: "hf", kind: "http", status: 503, message: "503" }));
const badRequest = () => Promise.reject(new UpstreamError({ service: "hf", kind: "http", status: 400, message: "400" }));
const ok = () => Promise.resolve("ok");

interface Ticket { decision: string; retry_after_ms?: number; probe_token?: string; charged?: boolean }
const acquire = () => store.rpc<Ticket>("breaker_acquire", { p_name: "hf", p_threshold: 3, p_open_ms: 30_000, p_probe_lease_ms: 15_000 });
const state = async () => (await store.rpc<{ name: string; state: string; failures: number; retry_after_ms: number }[]>("breaker_states")).find((b) => b.name === "hf");

beforeAll(async () => {
  store = await createTestStore();
});
afterAll(() => store.close());
beforeEach(async () => {
  await store.db.query("delete from public.app_breaker");
  await at(0);
});

async function trip() {
  for (let i = 0; i < 3; i++) await expect(withBreaker(deps(), "hf", down)).rejects.toBeInstanceOf(UpstreamError);
}

describe("circuit breaker in SQL", () => {
  it("stays closed below the threshold, and a success resets the count", async () => {
    await expect(withBreaker(deps(), "hf", down)).rejects.toBeInstanceOf(UpstreamError);
    await expect(withBreaker(deps(), "hf", down)).rejects.toBeInstanceOf(UpstreamError);
    expect(await state()).toMatchObject({ state: "closed", failures: 2 });
    expect(await withBreaker(deps(), "hf", ok)).toBe("ok");
    expect(await state()).toMatchObject({ state: "closed", failures: 0 });
  });

  it("opens at the threshold and then rejects without calling the upstream", async () => {
    await trip();
    expect(await state()).toMatchObject({ state: "open", failures: 3, retry_after_ms: 30_000 });
    let called = false;
    const err = await withBreaker(deps(), "hf", async () => ((called = true), "x")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BreakerOpenError);
    expect((err as BreakerOpenError).retryAfterMs).toBe(30_000);
    expect(called).toBe(false);
    await at(20_000);
    expect((await acquire())).toMatchObject({ decision: "reject", retry_after_ms: 10_000 });
  });

  it("does not count a 4xx answer as a failure", async () => {
    for (let i = 0; i < 5; i++) await expect(withBreaker(deps(), "hf", badRequest)).rejects.toMatchObject({ status: 400 });
    expect((await state())?.failures ?? 0).toBe(0);
  });

  it("hands out exactly one half-open probe after the cool-down", async () => {
    await trip();
    await at(30_000);
    const first = await acquire();
    expect(first.decision).toBe("probe");
    expect(first.probe_token).toMatch(/^[0-9a-f-]{36}$/);
    expect(await acquire()).toMatchObject({ decision: "reject" });
    expect(await acquire()).toMatchObject({ decision: "reject" });
    expect(await state()).toMatchObject({ state: "half_open" });
  });

  it("closes when the probe succeeds", async () => {
    await trip();
    await at(31_000);
    expect(await withBreaker(deps(), "hf", ok)).toBe("ok");
    expect(await state()).toMatchObject({ state: "closed", failures: 0 });
    expect(await acquire()).toMatchObject({ decision: "allow", charged: false });
  });

  it("reopens with a fresh cool-down when the probe fails", async () => {
    await trip();
    await at(31_000);
    await expect(withBreaker(deps(), "hf", down)).rejects.toBeInstanceOf(UpstreamError);
    expect(await state()).toMatchObject({ state: "open", retry_after_ms: 30_000 });
    await at(60_000);
    expect(await acquire()).toMatchObject({ decision: "reject", retry_after_ms: 1_000 });
    await at(61_000);
    expect(await acquire()).toMatchObject({ decision: "probe" });
  });

  it("a 4xx on the probe proves the upstream is up and closes the breaker", async () => {
    await trip();
    await at(30_000);
    await expect(withBreaker(deps(), "hf", badRequest)).rejects.toMatchObject({ status: 400 });
    expect(await state()).toMatchObject({ state: "closed" });
  });

  it("gives the probe to another caller when the prober's lease expires", async () => {
    await trip();
    await at(30_000);
    const dead = await acquire();
    expect(dead.decision).toBe("probe");
    await at(44_000);
    expect(await acquire()).toMatchObject({ decision: "reject", retry_after_ms: 1_000 });
    await at(45_000);
    const next = await acquire();
    expect(next.decision).toBe("probe");
    expect(next.probe_token).not.toBe(dead.probe_token);
    // the dead prober's late report is ignored; the new prober's counts
    await store.rpc("breaker_report", { p_name: "hf", p_success: true, p_threshold: 3, p_open_ms: 30_000, p_probe_token: dead.probe_token });
    expect(await state()).toMatchObject({ state: "half_open" });
    await store.rpc("breaker_report", { p_name: "hf", p_success: true, p_threshold: 3, p_open_ms: 30_000, p_probe_token: next.probe_token });
    expect(await state()).toMatchObject({ state: "closed" });
  });

  it("charges attempts up front once failures are counted, so no more than the threshold pass", async () => {
    await expect(withBreaker(deps(), "hf", down)).rejects.toBeInstanceOf(UpstreamError);
    // two callers start while one failure is recorded: both are charged, the breaker opens
    expect(await acquire()).toMatchObject({ decision: "allow", charged: true });
    expect(await acquire()).toMatchObject({ decision: "allow", charged: true });
    expect(await acquire()).toMatchObject({ decision: "reject" });
    expect(await state()).toMatchObject({ state: "open", failures: 3 });
  });

  it("keeps each breaker separate", async () => {
    await trip();
    expect(await withBreaker(deps(), "gemini", ok)).toBe("ok");
  });

  it("shows breaker states in GET /api/health without secrets", async () => {
    await trip();
    const { createTestServices, req } = await import("../helpers/services.js");
    const services = await createTestServices({ HF_TOKEN: "hf_secret_token_value" }, store);
    const { GET } = await import("../../api/health.js");
    const res = await GET(req("/api/health"));
    const body = (await res.json()) as { breakers: unknown[] };
    expect(body.breakers).toContainEqual({ name: "hf", state: "open", failures: 3, retry_after_ms: 30_000 });
    expect(JSON.stringify(body)).not.toContain("hf_secret_token_value");
    expect(services.config.hf.configured).toBe(true);
  });
});
