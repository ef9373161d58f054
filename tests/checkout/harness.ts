/** Shared set-up of the checkout tests: services with Stripe configured, demo products, calls. */
import { randomBytes } from "node:crypto";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { createTestServices, req } from "../helpers/services.js";
import { STRIPE_ENV } from "./stripe-double.js";

export const ADMIN_KEY = "admin-key-for-tests-0123456789";

export async function checkoutServices(env: Record<string, string> = {}): Promise<Services> {
  return createTestServices({ ...STRIPE_ENV, ADMIN_API_KEY: ADMIN_KEY, ...env });
}

/** Adds (or replaces) a product of the demo shop. */
export async function addProduct(
  services: Services,
  p: { id: string; name: string; price: string; stock?: number; visible?: boolean; currency?: string },
): Promise<void> {
  await (services.store as PgliteStore).db.query(
    `insert into public.shop_demo_products (id, slug, name, price, stock, visible, currency)
     values ($1, $2, $3, $4::numeric, $5, $6, $7)
     on conflict (id) do update set name = excluded.name, price = excluded.price, stock = excluded.stock,
       visible = excluded.visible, currency = excluded.currency`,
    [p.id, p.id, p.name, p.price, p.stock ?? 10, p.visible ?? true, p.currency ?? "EUR"],
  );
}

/** A distinct client IP per call site, so the per-IP rate limit never couples tests. */
export const freshIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

export function checkoutRequest(body: unknown, ip = freshIp()): Request {
  return req("/api/checkout", { method: "POST", body, headers: { "x-real-ip": ip } });
}

export function quoteRequest(body: unknown, key: string | null = ADMIN_KEY): Request {
  return req("/api/quote", { method: "POST", body, headers: key === null ? {} : { authorization: `Bearer ${key}` } });
}

export async function bodyOf(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
