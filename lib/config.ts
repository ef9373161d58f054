/**
 * lib/config.ts — the one place that reads the environment.
 *
 * `loadConfig(env)` validates every variable with zod, applies the documented defaults, and
 * groups them per integration. An integration is `configured` when its required variables are
 * present; a half-configured one is a `ConfigError` naming each missing variable. The error
 * never echoes a secret value.
 */
// zod/mini: the same validation as zod's classic API, as functions instead of methods, so a
// function's bundle keeps only the checks used here (health's cold start does not parse the
// whole classic API; see BENCHMARKS.md section 1).
import * as z from "zod/mini";

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n- ${problems.join("\n- ")}`);
  }
}

type Env = Record<string, string | undefined>;

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)), def);
const num = (def: number, ...checks: Parameters<ReturnType<typeof z.number>["check"]>) => z._default(z.coerce.number().check(...checks), def);
const bool = z.pipe(
  z.enum(["true", "false", "1", "0", "yes", "no"]),
  z.transform((v: "true" | "false" | "1" | "0" | "yes" | "no") => v === "true" || v === "1" || v === "yes"),
);
const url = (def: string) => z.pipe(z._default(z.url(), def), z.transform((u: string) => u.replace(/\/+$/, "")));
const str = z.optional(z.string());
const list = z.pipe(
  z._default(z.string(), ""),
  z.transform((s: string) => s.split(",").map((x) => x.trim()).filter(Boolean)),
);
const secret = (min: number) => z.optional(z.string().check(z.minLength(min, `must be at least ${min} characters`)));

/** Names of the upstreams that have a circuit breaker. */
export const BREAKER_NAMES = ["wix", "hf", "gemini", "whatsapp", "messenger", "stripe", "smtp", "drive"] as const;
export type BreakerName = (typeof BREAKER_NAMES)[number];

const schema = z.object({
  // Platform (set by Vercel / Netlify themselves)
  VERCEL: str,
  VERCEL_ENV: z.optional(z.enum(["production", "preview", "development"])),
  VERCEL_URL: str,
  VERCEL_PROJECT_PRODUCTION_URL: str,
  VERCEL_GIT_COMMIT_SHA: str,
  NETLIFY: str,
  CONTEXT: str,
  URL: str,
  COMMIT_REF: str,
  // App
  PORT: int(3000, 1, 65535),
  DATA_DIR: str,
  PUBLIC_BASE_URL: z.optional(z.url()),
  ALLOWED_ORIGINS: list,
  LOG_LEVEL: z._default(z.enum(["debug", "info", "warn", "error", "silent"]), "info"),
  MAX_BODY_BYTES: int(64 * 1024, 1024, 4 * 1024 * 1024),
  REQUEST_BUDGET_MS: int(25_000, 1000, 800_000),
  ADMIN_API_KEY: secret(16),
  CRON_SECRET: secret(16),
  WORKER_SECRET: secret(32),
  WORKER_BASE_URL: z.optional(z.url()),
  WORKER_CONCURRENCY: int(4, 1, 64),
  BRAND_NAME: z._default(z.string(), "Comptoir"),
  BRAND_COLOR: z._default(z.string().check(z.regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, "must be a hex colour like #1f6feb")), "#1f6feb"),
  DEFAULT_LANGUAGE: z._default(z.enum(["fr", "en"]), "fr"),
  // Store
  SUPABASE_URL: z.optional(z.url()),
  SUPABASE_SERVICE_ROLE_KEY: str,
  DATABASE_URL: str,
  // Outside calls: shared retry settings for every upstream but Wix (which keeps its original names)
  HTTP_RETRY_ATTEMPTS: int(2, 0, 10),
  HTTP_RETRY_BASE_DELAY_MS: int(300, 0, 60_000),
  HTTP_RETRY_MAX_DELAY_MS: int(2000, 0, 60_000),
  // Wix
  WIX_API_KEY: str,
  WIX_SITE_ID: str,
  WIX_ACCOUNT_ID: str,
  WIX_API_BASE_URL: url("https://www.wixapis.com"),
  WIX_CATALOG_VERSION: z._default(z.enum(["1", "3"]), "1"),
  CATALOGUE_SYNC_MINUTES: int(60, 1, 10_080),
  WIX_TIMEOUT_MS: int(8000, 100),
  WIX_CB_FAILURE_THRESHOLD: int(5, 1),
  WIX_CB_OPEN_MS: int(30_000, 100),
  WIX_RETRY_ATTEMPTS: int(3, 0, 10),
  WIX_RETRY_BASE_DELAY_MS: int(300, 0, 60_000),
  // Coupons
  COUPON_CODE_BYTES: int(6, 4, 12),
  COUPON_MAX_FIXED_AMOUNT: num(50, z.positive()),
  COUPON_MAX_PERCENT: num(30, z.positive(), z.maximum(100)),
  COUPON_DEFAULT_PERCENT: num(10, z.positive(), z.maximum(100)),
  COUPON_EXPIRY_DAYS: int(7, 1, 90),
  COUPON_COOLDOWN_DAYS: int(30, 0, 3650),
  // Hugging Face
  HF_TOKEN: str,
  HF_MODEL: z._default(z.string(), "Qwen/Qwen2.5-7B-Instruct:fastest"),
  HF_EMBEDDING_MODEL: z._default(z.string(), "intfloat/multilingual-e5-small"),
  HF_BASE_URL: url("https://router.huggingface.co"),
  HF_TIMEOUT_MS: int(20_000, 100),
  // Gemini
  GEMINI_API_KEY: str,
  GEMINI_MODEL: z._default(z.string(), "gemini-3.5-flash-lite"),
  GEMINI_BASE_URL: url("https://generativelanguage.googleapis.com/v1beta"),
  GEMINI_TIMEOUT_MS: int(20_000, 100),
  // Chat
  CHAT_MAX_MESSAGE_CHARS: int(2000, 1, 20_000),
  CHAT_HISTORY_TOKENS: int(2000, 100, 100_000),
  CHAT_MAX_STEPS: int(5, 1, 5),
  CHAT_RATE_IP_LIMIT: int(30, 1),
  CHAT_RATE_IP_WINDOW_SECONDS: int(60, 1),
  CHAT_RATE_SESSION_LIMIT: int(20, 1),
  CHAT_RATE_SESSION_WINDOW_SECONDS: int(60, 1),
  LEAD_RATE_IP_LIMIT: int(10, 1),
  LEAD_RATE_IP_WINDOW_SECONDS: int(3600, 1),
  CHAT_RETENTION_DAYS: int(365, 1, 3650),
  LEAD_RETENTION_DAYS: int(1095, 1, 3650),
  // Meta (WhatsApp + Messenger)
  META_APP_SECRET: str,
  META_GRAPH_BASE_URL: url("https://graph.facebook.com"),
  GRAPH_VERSION: z._default(z.string().check(z.regex(/^v\d+\.\d+$/, "must look like v26.0")), "v26.0"),
  META_TIMEOUT_MS: int(10_000, 100),
  WHATSAPP_ACCESS_TOKEN: str,
  WHATSAPP_PHONE_NUMBER_ID: str,
  WHATSAPP_VERIFY_TOKEN: str,
  WHATSAPP_TEMPLATE_NAME: str,
  WHATSAPP_TEMPLATE_LANGUAGE: z._default(z.string(), "fr"),
  MESSENGER_PAGE_ACCESS_TOKEN: str,
  MESSENGER_PAGE_ID: str,
  MESSENGER_VERIFY_TOKEN: str,
  // Stripe
  STRIPE_SECRET_KEY: str,
  STRIPE_WEBHOOK_SECRET: str,
  STRIPE_API_BASE_URL: url("https://api.stripe.com"),
  STRIPE_CURRENCY: z.pipe(z._default(z.string().check(z.regex(/^[a-zA-Z]{3}$/, "must be an ISO currency code")), "eur"), z.transform((c: string) => c.toLowerCase())),
  STRIPE_TIMEOUT_MS: int(10_000, 100),
  CHECKOUT_PROVIDER: z.optional(z.enum(["wix", "stripe"])),
  CHECKOUT_MAX_QUANTITY: int(20, 1, 1000),
  CHECKOUT_MAX_LINES: int(20, 1, 100),
  CHECKOUT_EXPIRY_MINUTES: int(60, 30, 1440),
  // Email + notifications
  SMTP_HOST: str,
  SMTP_PORT: int(587, 1, 65535),
  SMTP_SECURE: z.optional(bool),
  SMTP_USER: str,
  SMTP_PASS: str,
  SMTP_FROM: str,
  SMTP_TIMEOUT_MS: int(10_000, 100),
  ADMIN_EMAIL_ALLOWED_DOMAINS: list,
  NOTIFICATION_EMAIL: str,
  ADMIN_EMAIL: str,
  ADMIN_PHONE: str,
  OUTBOX_DIR: str,
  NOTIFY_DEDUP_TTL_SECONDS: int(6 * 3600, 1),
  // The owner's inbox (lib/owner)
  OWNER_EMAILS: list,
  OWNER_DISPLAY_NAME: z.optional(z.string().check(z.maxLength(40, "must be at most 40 characters"))),
  HANDOFF_WAIT_MINUTES: int(10, 1, 24 * 60),
  HANDOFF_IDLE_HOURS: int(24, 1, 30 * 24),
  WHATSAPP_OWNER_REPLY_TEMPLATE: str,
  WHATSAPP_OWNER_ALERT_TEMPLATE: str,
  // Google Drive
  GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: str,
  GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH: str,
  GOOGLE_DRIVE_CLIENT_ID: str,
  GOOGLE_DRIVE_CLIENT_SECRET: str,
  GOOGLE_DRIVE_REFRESH_TOKEN: str,
  GOOGLE_DRIVE_API_KEY: str,
  GOOGLE_DRIVE_SCOPES: list,
  WORKFLOWS_DEFAULT_DRIVE_FOLDER_ID: str,
  GOOGLE_API_BASE_URL: url("https://www.googleapis.com"),
  GOOGLE_DRIVE_TIMEOUT_MS: int(15_000, 100),
  // Sentry
  SENTRY_DSN: z.optional(z.url()),
  SENTRY_ENVIRONMENT: str,
  // Per-upstream breaker settings (Wix uses WIX_CB_* above)
  ...Object.fromEntries(
    BREAKER_NAMES.filter((n) => n !== "wix").flatMap((n) => [
      [`${n.toUpperCase()}_CB_FAILURE_THRESHOLD`, int(5, 1)],
      [`${n.toUpperCase()}_CB_OPEN_MS`, int(30_000, 100)],
    ]),
  ),
});

type Raw = z.infer<typeof schema>;

export interface BreakerSettings { threshold: number; openMs: number }
export interface RetrySettings { attempts: number; baseDelayMs: number; maxDelayMs: number }
export interface UpstreamSettings { baseUrl: string; timeoutMs: number; retry: RetrySettings }

export type DeployEnv = "production" | "preview" | "development";
export type Platform = "vercel" | "netlify" | "node";
export type StoreBackend =
  | { kind: "supabase"; url: string; serviceRoleKey: string }
  | { kind: "postgres"; url: string; prepare: boolean }
  | { kind: "pglite"; dataDir: string | null };

export function loadConfig(env: Env = process.env) {
  const cleaned: Env = {};
  for (const [k, v] of Object.entries(env)) {
    const t = v?.trim();
    if (t) cleaned[k] = t;
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const r = parsed.data as Raw & Record<string, number>;
  const problems: string[] = [];
  /** Names the variables missing from a group that is partly set. */
  const group = (label: string, required: Record<string, string | undefined>): boolean => {
    const present = Object.values(required).some(Boolean);
    const missing = Object.entries(required).filter(([, v]) => !v).map(([k]) => k);
    if (present && missing.length) problems.push(`${label} is half-configured: missing ${missing.join(", ")}`);
    return present && missing.length === 0;
  };

  const platform: Platform = r.VERCEL ? "vercel" : r.NETLIFY ? "netlify" : "node";
  // Serverless file systems are read-only but for /tmp.
  const dataDir = r.DATA_DIR ?? (platform === "node" ? ".data" : "/tmp/comptoir");
  const deployEnv: DeployEnv =
    r.VERCEL_ENV ??
    (r.CONTEXT === "production" ? "production" : r.CONTEXT === "deploy-preview" || r.CONTEXT === "branch-deploy" ? "preview" : "development");

  const publicBaseUrl = (
    r.PUBLIC_BASE_URL ??
    (r.VERCEL_PROJECT_PRODUCTION_URL && deployEnv === "production" ? `https://${r.VERCEL_PROJECT_PRODUCTION_URL}` : undefined) ??
    (r.VERCEL_URL ? `https://${r.VERCEL_URL}` : undefined) ??
    r.URL ??
    `http://localhost:${r.PORT}`
  ).replace(/\/+$/, "");

  // Store backend
  let store: StoreBackend;
  const supabaseSet = group("Supabase", { SUPABASE_URL: r.SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY: r.SUPABASE_SERVICE_ROLE_KEY });
  if (supabaseSet) store = { kind: "supabase", url: r.SUPABASE_URL!, serviceRoleKey: r.SUPABASE_SERVICE_ROLE_KEY! };
  else if (r.DATABASE_URL) {
    if (!/^postgres(ql)?:\/\//.test(r.DATABASE_URL)) problems.push("DATABASE_URL: must start with postgres:// or postgresql://");
    // Supabase's transaction-mode pooler (port 6543) does not support prepared statements.
    store = { kind: "postgres", url: r.DATABASE_URL, prepare: !/:6543(\/|$|\?)/.test(r.DATABASE_URL) };
  } else store = { kind: "pglite", dataDir };
  if (store.kind === "pglite" && deployEnv === "production" && platform !== "node") {
    problems.push("a production deployment needs a shared database: set SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY or DATABASE_URL");
  }

  const retry = (attempts: number, baseDelayMs: number): RetrySettings => ({ attempts, baseDelayMs, maxDelayMs: r.HTTP_RETRY_MAX_DELAY_MS });
  const sharedRetry = retry(r.HTTP_RETRY_ATTEMPTS, r.HTTP_RETRY_BASE_DELAY_MS);
  const breakers = Object.fromEntries(
    BREAKER_NAMES.map((n) => [
      n,
      n === "wix"
        ? { threshold: r.WIX_CB_FAILURE_THRESHOLD, openMs: r.WIX_CB_OPEN_MS }
        : { threshold: r[`${n.toUpperCase()}_CB_FAILURE_THRESHOLD`]!, openMs: r[`${n.toUpperCase()}_CB_OPEN_MS`]! },
    ]),
  ) as Record<BreakerName, BreakerSettings>;

  const wixOn = group("Wix", { WIX_API_KEY: r.WIX_API_KEY, WIX_SITE_ID: r.WIX_SITE_ID });
  const hfOn = !!r.HF_TOKEN;
  const geminiOn = !!r.GEMINI_API_KEY;

  const waOn = group("WhatsApp", {
    WHATSAPP_ACCESS_TOKEN: r.WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: r.WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_VERIFY_TOKEN: r.WHATSAPP_VERIFY_TOKEN,
  });
  const msOn = group("Messenger", {
    MESSENGER_PAGE_ACCESS_TOKEN: r.MESSENGER_PAGE_ACCESS_TOKEN,
    MESSENGER_PAGE_ID: r.MESSENGER_PAGE_ID,
    MESSENGER_VERIFY_TOKEN: r.MESSENGER_VERIFY_TOKEN,
  });
  if ((waOn || msOn) && !r.META_APP_SECRET) {
    problems.push(`${waOn ? "WhatsApp" : "Messenger"} is configured but META_APP_SECRET is missing (webhook signatures cannot be verified)`);
  }

  const stripeOn = group("Stripe", { STRIPE_SECRET_KEY: r.STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: r.STRIPE_WEBHOOK_SECRET });
  if (r.STRIPE_SECRET_KEY?.startsWith("sk_live_") && deployEnv !== "production") {
    problems.push(`STRIPE_SECRET_KEY: a live key (sk_live_) is refused outside production (this deployment is "${deployEnv}"); use a sk_test_ key`);
  }
  if (r.STRIPE_SECRET_KEY && !/^(sk|rk)_(test|live)_/.test(r.STRIPE_SECRET_KEY)) problems.push("STRIPE_SECRET_KEY: must start with sk_test_, sk_live_, rk_test_ or rk_live_");

  if (r.CHECKOUT_PROVIDER === "wix" && !wixOn) problems.push("CHECKOUT_PROVIDER=wix needs Wix: set WIX_API_KEY and WIX_SITE_ID (or CHECKOUT_PROVIDER=stripe)");

  const smtpOn = !!r.SMTP_HOST;
  if (!smtpOn && (r.SMTP_USER || r.SMTP_PASS)) problems.push("SMTP is half-configured: missing SMTP_HOST");
  if (smtpOn) group("SMTP authentication", { SMTP_USER: r.SMTP_USER, SMTP_PASS: r.SMTP_PASS });
  const smtpFrom = r.SMTP_FROM ?? (r.SMTP_USER?.includes("@") ? r.SMTP_USER : undefined);
  if (smtpOn && !smtpFrom) problems.push("SMTP is half-configured: missing SMTP_FROM");

  // Google Drive: four auth methods in the original's order of priority.
  let driveAuth:
    | { method: "service_account_json"; credentials: { client_email: string; private_key: string } }
    | { method: "service_account_path"; path: string }
    | { method: "oauth"; clientId: string; clientSecret: string; refreshToken: string }
    | { method: "api_key"; apiKey: string }
    | null = null;
  const oauthSet = group("Google Drive OAuth", {
    GOOGLE_DRIVE_CLIENT_ID: r.GOOGLE_DRIVE_CLIENT_ID,
    GOOGLE_DRIVE_CLIENT_SECRET: r.GOOGLE_DRIVE_CLIENT_SECRET,
    GOOGLE_DRIVE_REFRESH_TOKEN: r.GOOGLE_DRIVE_REFRESH_TOKEN,
  });
  if (r.GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON) {
    const sa = parseServiceAccount(r.GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON);
    if (sa) driveAuth = { method: "service_account_json", credentials: sa };
    else problems.push("GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: not a valid service-account JSON (needs client_email and private_key); value not shown");
  } else if (r.GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH) driveAuth = { method: "service_account_path", path: r.GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH };
  else if (oauthSet) driveAuth = { method: "oauth", clientId: r.GOOGLE_DRIVE_CLIENT_ID!, clientSecret: r.GOOGLE_DRIVE_CLIENT_SECRET!, refreshToken: r.GOOGLE_DRIVE_REFRESH_TOKEN! };
  else if (r.GOOGLE_DRIVE_API_KEY) driveAuth = { method: "api_key", apiKey: r.GOOGLE_DRIVE_API_KEY };

  if (problems.length) throw new ConfigError(problems);

  const upstream = (baseUrl: string, timeoutMs: number, rs = sharedRetry): UpstreamSettings => ({ baseUrl, timeoutMs, retry: rs });
  const metaUpstream = upstream(r.META_GRAPH_BASE_URL, r.META_TIMEOUT_MS);

  return {
    platform,
    deployEnv,
    release: r.VERCEL_GIT_COMMIT_SHA ?? r.COMMIT_REF ?? "dev",
    app: {
      port: r.PORT,
      dataDir,
      publicBaseUrl,
      allowedOrigins: r.ALLOWED_ORIGINS,
      logLevel: r.LOG_LEVEL,
      maxBodyBytes: r.MAX_BODY_BYTES,
      requestBudgetMs: r.REQUEST_BUDGET_MS,
      adminApiKey: r.ADMIN_API_KEY,
      cronSecret: r.CRON_SECRET,
      worker: {
        secret: r.WORKER_SECRET,
        baseUrl: (r.WORKER_BASE_URL ?? publicBaseUrl).replace(/\/+$/, ""),
        concurrency: r.WORKER_CONCURRENCY,
      },
      brandName: r.BRAND_NAME,
      brandColor: r.BRAND_COLOR,
      defaultLanguage: r.DEFAULT_LANGUAGE,
    },
    store,
    breakers,
    wix: {
      ...upstream(r.WIX_API_BASE_URL, r.WIX_TIMEOUT_MS, retry(r.WIX_RETRY_ATTEMPTS, r.WIX_RETRY_BASE_DELAY_MS)),
      catalogVersion: Number(r.WIX_CATALOG_VERSION) as 1 | 3,
      /** The mirrored catalogue is refreshed when older than this (search on demand, and the cron). */
      catalogueSyncMinutes: r.CATALOGUE_SYNC_MINUTES,
      ...(wixOn
        ? { configured: true as const, apiKey: r.WIX_API_KEY!, siteId: r.WIX_SITE_ID!, accountId: r.WIX_ACCOUNT_ID }
        : { configured: false as const }),
    },
    coupons: {
      codeBytes: r.COUPON_CODE_BYTES,
      maxFixedAmount: r.COUPON_MAX_FIXED_AMOUNT,
      maxPercent: r.COUPON_MAX_PERCENT,
      defaultPercent: Math.min(r.COUPON_DEFAULT_PERCENT, r.COUPON_MAX_PERCENT),
      expiryDays: r.COUPON_EXPIRY_DAYS,
      cooldownDays: r.COUPON_COOLDOWN_DAYS,
    },
    hf: {
      ...upstream(r.HF_BASE_URL, r.HF_TIMEOUT_MS),
      model: r.HF_MODEL,
      embeddingModel: r.HF_EMBEDDING_MODEL,
      ...(hfOn ? { configured: true as const, token: r.HF_TOKEN! } : { configured: false as const }),
    },
    gemini: {
      ...upstream(r.GEMINI_BASE_URL, r.GEMINI_TIMEOUT_MS),
      model: r.GEMINI_MODEL,
      ...(geminiOn ? { configured: true as const, apiKey: r.GEMINI_API_KEY! } : { configured: false as const }),
    },
    chat: {
      maxMessageChars: r.CHAT_MAX_MESSAGE_CHARS,
      historyTokens: r.CHAT_HISTORY_TOKENS,
      maxSteps: r.CHAT_MAX_STEPS,
      rateIp: { limit: r.CHAT_RATE_IP_LIMIT, windowSeconds: r.CHAT_RATE_IP_WINDOW_SECONDS },
      rateSession: { limit: r.CHAT_RATE_SESSION_LIMIT, windowSeconds: r.CHAT_RATE_SESSION_WINDOW_SECONDS },
    },
    lead: { rateIp: { limit: r.LEAD_RATE_IP_LIMIT, windowSeconds: r.LEAD_RATE_IP_WINDOW_SECONDS } },
    privacy: { chatRetentionDays: r.CHAT_RETENTION_DAYS, leadRetentionDays: r.LEAD_RETENTION_DAYS },
    meta: { ...metaUpstream, graphVersion: r.GRAPH_VERSION, appSecret: r.META_APP_SECRET },
    whatsapp: {
      ...metaUpstream,
      graphVersion: r.GRAPH_VERSION,
      templateLanguage: r.WHATSAPP_TEMPLATE_LANGUAGE,
      templateName: r.WHATSAPP_TEMPLATE_NAME,
      ...(waOn
        ? { configured: true as const, accessToken: r.WHATSAPP_ACCESS_TOKEN!, phoneNumberId: r.WHATSAPP_PHONE_NUMBER_ID!, verifyToken: r.WHATSAPP_VERIFY_TOKEN!, appSecret: r.META_APP_SECRET! }
        : { configured: false as const }),
    },
    messenger: {
      ...metaUpstream,
      graphVersion: r.GRAPH_VERSION,
      ...(msOn
        ? { configured: true as const, pageAccessToken: r.MESSENGER_PAGE_ACCESS_TOKEN!, pageId: r.MESSENGER_PAGE_ID!, verifyToken: r.MESSENGER_VERIFY_TOKEN!, appSecret: r.META_APP_SECRET! }
        : { configured: false as const }),
    },
    stripe: {
      ...upstream(r.STRIPE_API_BASE_URL, r.STRIPE_TIMEOUT_MS),
      currency: r.STRIPE_CURRENCY,
      maxQuantity: r.CHECKOUT_MAX_QUANTITY,
      maxLines: r.CHECKOUT_MAX_LINES,
      expiryMinutes: r.CHECKOUT_EXPIRY_MINUTES,
      ...(stripeOn
        ? { configured: true as const, secretKey: r.STRIPE_SECRET_KEY!, webhookSecret: r.STRIPE_WEBHOOK_SECRET! }
        : { configured: false as const }),
    },
    checkout: {
      /** Who takes payment for catalogue carts: Wix's hosted checkout (default with Wix) or Stripe. */
      provider: (r.CHECKOUT_PROVIDER ?? (wixOn ? "wix" : "stripe")) as "wix" | "stripe",
    },
    email: {
      timeoutMs: r.SMTP_TIMEOUT_MS,
      allowedDomains: r.ADMIN_EMAIL_ALLOWED_DOMAINS.map((d) => d.toLowerCase()),
      outboxDir: r.OUTBOX_DIR ?? `${dataDir.replace(/\/+$/, "")}/outbox`,
      ...(smtpOn
        ? {
            configured: true as const,
            host: r.SMTP_HOST!,
            port: r.SMTP_PORT,
            // Implicit TLS on 465, STARTTLS otherwise, unless SMTP_SECURE says.
            secure: r.SMTP_SECURE ?? r.SMTP_PORT === 465,
            user: r.SMTP_USER,
            pass: r.SMTP_PASS,
            from: smtpFrom!,
          }
        : { configured: false as const }),
    },
    notifications: {
      adminEmail: r.NOTIFICATION_EMAIL ?? r.ADMIN_EMAIL,
      adminPhone: r.ADMIN_PHONE,
      dedupTtlSeconds: r.NOTIFY_DEDUP_TTL_SECONDS,
    },
    owner: {
      /** Who may sign in to /admin: OWNER_EMAILS, else ADMIN_EMAIL (lower case). */
      emails: (r.OWNER_EMAILS.length ? r.OWNER_EMAILS : r.ADMIN_EMAIL ? [r.ADMIN_EMAIL] : []).map((e) => e.toLowerCase()),
      displayName: r.OWNER_DISPLAY_NAME,
      waitMinutes: r.HANDOFF_WAIT_MINUTES,
      idleHours: r.HANDOFF_IDLE_HOURS,
      replyTemplate: r.WHATSAPP_OWNER_REPLY_TEMPLATE,
      alertTemplate: r.WHATSAPP_OWNER_ALERT_TEMPLATE,
    },
    drive: {
      baseUrl: r.GOOGLE_API_BASE_URL,
      timeoutMs: r.GOOGLE_DRIVE_TIMEOUT_MS,
      scopes: r.GOOGLE_DRIVE_SCOPES.length ? r.GOOGLE_DRIVE_SCOPES : ["https://www.googleapis.com/auth/drive.file"],
      defaultFolderId: r.WORKFLOWS_DEFAULT_DRIVE_FOLDER_ID,
      ...(driveAuth ? { configured: true as const, auth: driveAuth } : { configured: false as const }),
    },
    sentry: {
      environment: r.SENTRY_ENVIRONMENT ?? deployEnv,
      ...(r.SENTRY_DSN ? { configured: true as const, dsn: r.SENTRY_DSN } : { configured: false as const }),
    },
  };
}

function parseServiceAccount(json: string): { client_email: string; private_key: string } | null {
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    if (typeof v.client_email !== "string" || typeof v.private_key !== "string") return null;
    return { client_email: v.client_email, private_key: v.private_key.replace(/\\n/g, "\n") };
  } catch {
    return null;
  }
}

export type Config = ReturnType<typeof loadConfig>;

/** Integration names and whether each is configured: safe to show (no values). */
export function integrationStatus(config: Config): Record<string, { configured: boolean }> {
  const names = ["wix", "hf", "gemini", "whatsapp", "messenger", "stripe", "email", "drive", "sentry"] as const;
  return Object.fromEntries(names.map((n) => [n, { configured: config[n].configured }]));
}

let cached: Config | undefined;
/** The instance's configuration, read once from process.env. */
export function getConfig(): Config {
  return (cached ??= loadConfig(process.env));
}

/** Variables set by the hosting platform itself (not listed in .env.example). */
export const PLATFORM_VARIABLES = ["VERCEL", "VERCEL_ENV", "VERCEL_URL", "VERCEL_PROJECT_PRODUCTION_URL", "VERCEL_GIT_COMMIT_SHA", "NETLIFY", "CONTEXT", "URL", "COMMIT_REF"];
/** Every variable the app reads. */
export const CONFIG_VARIABLES = Object.keys(schema.shape);
