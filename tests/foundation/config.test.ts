import { describe, expect, it } from "vitest";
import { ConfigError, integrationStatus, loadConfig } from "../../lib/config.js";

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("applies the original spec's defaults with an empty environment", () => {
    const c = loadConfig({});
    expect(c.wix.timeoutMs).toBe(8000);
    expect(c.breakers.wix).toEqual({ threshold: 5, openMs: 30000 });
    expect(c.wix.retry).toMatchObject({ attempts: 3, baseDelayMs: 300 });
    expect(c.wix.baseUrl).toBe("https://www.wixapis.com");
    expect(c.app.port).toBe(3000);
    expect(c.app.maxBodyBytes).toBe(65536);
    expect(c.coupons).toMatchObject({ maxFixedAmount: 50, maxPercent: 30, cooldownDays: 30 });
    expect(c.store).toEqual({ kind: "pglite", dataDir: ".data" });
    expect(c.deployEnv).toBe("development");
    expect(c.email.outboxDir).toBe(".data/outbox");
    for (const v of Object.values(integrationStatus(c))) expect(v.configured).toBe(false);
  });

  it("parses numbers and treats blank values as unset", () => {
    const c = loadConfig({ WIX_TIMEOUT_MS: "1500", WIX_CB_FAILURE_THRESHOLD: " 2 ", PORT: "", HF_CB_OPEN_MS: "1000" });
    expect(c.wix.timeoutMs).toBe(1500);
    expect(c.breakers.wix.threshold).toBe(2);
    expect(c.breakers.hf.openMs).toBe(1000);
    expect(c.app.port).toBe(3000);
  });

  it.each([
    ["WIX_TIMEOUT_MS", "abc"],
    ["WIX_RETRY_ATTEMPTS", "-1"],
    ["WIX_CB_FAILURE_THRESHOLD", "1.5"],
    ["PORT", "70000"],
    ["BRAND_COLOR", "red; background:url(x)"],
  ])("rejects a bad value for %s and names it", (name, value) => {
    expect(problems({ [name]: value })).toContain(name);
  });

  it.each([
    [{ WHATSAPP_ACCESS_TOKEN: "EAAtoken" }, ["WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_VERIFY_TOKEN"]],
    [{ WIX_API_KEY: "k" }, ["WIX_SITE_ID"]],
    [{ SUPABASE_URL: "https://x.supabase.co" }, ["SUPABASE_SERVICE_ROLE_KEY"]],
    [{ STRIPE_SECRET_KEY: "sk_test_123" }, ["STRIPE_WEBHOOK_SECRET"]],
    [{ MESSENGER_PAGE_ID: "1" }, ["MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_VERIFY_TOKEN"]],
    [{ GOOGLE_DRIVE_CLIENT_ID: "id" }, ["GOOGLE_DRIVE_CLIENT_SECRET", "GOOGLE_DRIVE_REFRESH_TOKEN"]],
    [{ SMTP_USER: "u" }, ["SMTP_HOST"]],
  ])("a half-configured integration %j names what is missing", (env, missing) => {
    const message = problems(env as Record<string, string>);
    for (const m of missing) expect(message).toContain(m);
  });

  it("requires the Meta app secret for a configured channel", () => {
    const msg = problems({ WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1", WHATSAPP_VERIFY_TOKEN: "v" });
    expect(msg).toContain("META_APP_SECRET");
  });

  it("marks a fully configured integration", () => {
    const c = loadConfig({ WIX_API_KEY: "k", WIX_SITE_ID: "s", HF_TOKEN: "hf_x" });
    expect(c.wix.configured && c.wix.siteId).toBe("s");
    expect(integrationStatus(c)).toMatchObject({ wix: { configured: true }, hf: { configured: true }, gemini: { configured: false } });
  });

  it("refuses a live Stripe key outside production, without printing it", () => {
    const key = "sk_live_supersecretvalue123";
    for (const env of [{}, { VERCEL_ENV: "preview" }, { CONTEXT: "deploy-preview" }] as Record<string, string>[]) {
      const msg = problems({ STRIPE_SECRET_KEY: key, STRIPE_WEBHOOK_SECRET: "whsec_x", ...env });
      expect(msg).toContain("sk_live_");
      expect(msg).not.toContain(key);
    }
  });

  it("accepts a live Stripe key in production on Vercel and Netlify", () => {
    const base = { STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_x", DATABASE_URL: "postgres://u@h/db" };
    expect(loadConfig({ ...base, VERCEL: "1", VERCEL_ENV: "production" }).stripe.configured).toBe(true);
    expect(loadConfig({ ...base, NETLIFY: "true", CONTEXT: "production" }).deployEnv).toBe("production");
  });

  it("chooses the store backend: Supabase, then DATABASE_URL, then PGlite", () => {
    expect(loadConfig({ SUPABASE_URL: "https://x.supabase.co", SUPABASE_SERVICE_ROLE_KEY: "sb_secret_x", DATABASE_URL: "postgres://a@b/c" }).store.kind).toBe("supabase");
    expect(loadConfig({ DATABASE_URL: "postgres://a@b:5432/c" }).store).toEqual({ kind: "postgres", url: "postgres://a@b:5432/c", prepare: true });
    expect(loadConfig({ DATABASE_URL: "postgres://a@pooler.supabase.com:6543/postgres" }).store).toMatchObject({ prepare: false });
  });

  it("refuses an embedded database for a production deployment", () => {
    expect(problems({ VERCEL: "1", VERCEL_ENV: "production" })).toContain("DATABASE_URL");
  });

  it("derives SMTP secure from the port unless SMTP_SECURE says", () => {
    const base = { SMTP_HOST: "smtp.test", SMTP_FROM: "shop@example.fr" };
    expect(loadConfig({ ...base, SMTP_PORT: "465" }).email).toMatchObject({ secure: true });
    expect(loadConfig({ ...base, SMTP_PORT: "587" }).email).toMatchObject({ secure: false });
    expect(loadConfig({ ...base, SMTP_PORT: "2525", SMTP_SECURE: "true" }).email).toMatchObject({ secure: true });
  });

  it("treats an empty allowlist as no restriction and lower-cases domains", () => {
    expect(loadConfig({ ADMIN_EMAIL_ALLOWED_DOMAINS: "" }).email.allowedDomains).toEqual([]);
    expect(loadConfig({ ADMIN_EMAIL_ALLOWED_DOMAINS: "Example.com, shop.fr" }).email.allowedDomains).toEqual(["example.com", "shop.fr"]);
  });

  it("rejects invalid Drive service-account JSON without printing it", () => {
    const secret = '{"private_key":"-----BEGIN PRIVATE KEY-----abc"';
    const msg = problems({ GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: secret });
    expect(msg).toContain("GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON");
    expect(msg).not.toContain("BEGIN PRIVATE KEY");
  });
});

describe(".env.example", () => {
  it("lists exactly the variables the app reads (platform variables aside)", async () => {
    const { readFileSync } = await import("node:fs");
    const { CONFIG_VARIABLES, PLATFORM_VARIABLES } = await import("../../lib/config.js");
    const listed = readFileSync(".env.example", "utf8").split("\n").filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => l.split("=")[0]);
    const expected = CONFIG_VARIABLES.filter((v) => !PLATFORM_VARIABLES.includes(v)).sort();
    expect([...listed].sort()).toEqual(expected);
  });

  it("loads as is (its defaults are valid)", async () => {
    const { readFileSync } = await import("node:fs");
    const env = Object.fromEntries(readFileSync(".env.example", "utf8").split("\n").filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(loadConfig(env).store.kind).toBe("pglite");
  });
});
