/**
 * The owner's side under test: services with an owner address and a private outbox, requests to
 * the api/admin routes as a browser on the inbox page sends them (cookie, same Origin), the
 * sign-in code read from the outbox, and shoppers talking through POST /api/chat.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import type { PlatformContext, RouteHandlers } from "../../lib/route.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import type { Store } from "../../lib/store/store.js";
import { createTestServices, req } from "../helpers/services.js";

export const OWNER = "marie@maison-lumiere.example";
export const ORIGIN = "http://shop.test";

export interface OwnerWorld {
  services: Services;
  outbox: string;
  close(): Promise<void>;
}

export async function ownerWorld(env: Record<string, string> = {}, store?: Store): Promise<OwnerWorld> {
  const outbox = mkdtempSync(path.join(tmpdir(), "comptoir-owner-outbox-"));
  const services = await createTestServices({ OUTBOX_DIR: outbox, OWNER_EMAILS: [OWNER, "paul@maison-lumiere.example", ...Array.from({ length: 9 }, (_, i) => `owner${i + 1}@maison-lumiere.example`)].join(","), OWNER_DISPLAY_NAME: "Marie", CHAT_RATE_IP_LIMIT: "100000", CHAT_RATE_SESSION_LIMIT: "1000", ...env }, store);
  return {
    services,
    outbox,
    async close() {
      await services.store.close();
      rmSync(outbox, { recursive: true, force: true });
    },
  };
}

type Mod = Partial<RouteHandlers>;
const modules: Record<string, () => Promise<Mod>> = {
  "/api/admin/login": () => import("../../api/admin/login.js"),
  "/api/admin/login/verify": () => import("../../api/admin/login/verify.js"),
  "/api/admin/logout": () => import("../../api/admin/logout.js"),
  "/api/admin/session": () => import("../../api/admin/session.js"),
  "/api/admin/link": () => import("../../api/admin/link.js"),
  "/api/admin/conversations": () => import("../../api/admin/conversations.js"),
  "/api/admin/quick-replies": () => import("../../api/admin/quick-replies.js"),
  "/api/admin/leads": () => import("../../api/admin/leads.js"),
  "/api/admin/orders": () => import("../../api/admin/orders.js"),
  "/api/chat": () => import("../../api/chat.js"),
};
const byId: Record<string, () => Promise<Mod>> = {
  "": () => import("../../api/admin/conversation.js"),
  reply: () => import("../../api/admin/reply.js"),
  release: () => import("../../api/admin/release.js"),
  close: () => import("../../api/admin/close.js"),
  note: () => import("../../api/admin/note.js"),
};

/** The module serving a public path (the conversation routes by their public /conversations/{id}/… path). */
async function moduleFor(pathname: string): Promise<Mod> {
  const m = /^\/api\/admin\/conversations\/[^/]+(?:\/([a-z]+))?$/.exec(pathname);
  if (m) return byId[m[1] ?? ""]!();
  const load = modules[pathname];
  if (!load) throw new Error(`no route module for ${pathname}`);
  return load();
}

export interface Call {
  method?: string;
  body?: unknown;
  cookie?: string | null;
  origin?: string | null;
  headers?: Record<string, string>;
  platform?: PlatformContext;
}

/** Calls a route as the inbox page would (same Origin on writes, the session cookie). */
export async function call(path: string, c: Call = {}): Promise<Response> {
  const url = new URL(path, ORIGIN);
  const method = c.method ?? (c.body !== undefined ? "POST" : "GET");
  const headers: Record<string, string> = { ...c.headers };
  if (c.cookie) headers.cookie = c.cookie;
  const origin = c.origin === undefined ? (method === "GET" ? null : ORIGIN) : c.origin;
  if (origin) headers.origin = origin;
  const mod = await moduleFor(url.pathname);
  const handler = mod[method as keyof Mod];
  if (!handler) throw new Error(`${method} not exported for ${path}`);
  return handler(req(`${url.pathname}${url.search}`, { method, headers, ...(c.body !== undefined ? { body: c.body } : {}) }), c.platform);
}

export async function jsonOf<T = any>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 300)}`);
  }
}

/** Every mail in the outbox, oldest first: {to, subject, text}. */
export async function outboxMails(outbox: string): Promise<{ to: string; subject: string; text: string }[]> {
  let files: string[] = [];
  try {
    files = readdirSync(outbox).filter((f) => f.endsWith(".eml")).sort();
  } catch {
    return [];
  }
  return Promise.all(
    files.map(async (f) => {
      const mail = await simpleParser(readFileSync(path.join(outbox, f)));
      const to = Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(", ") : (mail.to?.text ?? "");
      return { to, subject: mail.subject ?? "", text: mail.text ?? "" };
    }),
  );
}

/** The last sign-in code mailed to `email`. */
export async function lastCode(outbox: string, email = OWNER): Promise<string> {
  const mails = (await outboxMails(outbox)).filter((m) => m.to.includes(email) && /\b\d{6}\b/.test(m.subject));
  const code = /\b(\d{6})\b/.exec(mails.at(-1)?.subject ?? "")?.[1];
  if (!code) throw new Error(`no sign-in code for ${email} in the outbox`);
  return code;
}

/** The session cookie of a Set-Cookie header ("comptoir_owner=…"). */
export const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0]!;

/** Signs in as `email` (code from the outbox) and returns the Cookie header value. */
export async function signIn(world: OwnerWorld, email = OWNER): Promise<string> {
  const asked = await call("/api/admin/login", { body: { email } });
  if (asked.status !== 202) throw new Error(`login answered ${asked.status}`);
  const code = await lastCode(world.outbox, email);
  const res = await call("/api/admin/login/verify", { body: { email, code } });
  if (res.status !== 204) throw new Error(`verify answered ${res.status}: ${await res.text()}`);
  return cookieOf(res);
}

/** A web shopper's message through POST /api/chat. */
export async function shopperSays(sessionId: string | null, message: string, platform?: PlatformContext) {
  const res = await call("/api/chat", { body: { message, ...(sessionId ? { sessionId } : {}) }, origin: null, ...(platform ? { platform } : {}) });
  if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${await res.text()}`);
  return jsonOf<{ sessionId: string; reply: { text: string }; handoff: boolean }>(res);
}

export async function rows<T = Record<string, unknown>>(services: Services, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await (services.store as PgliteStore).db.query<T>(sql, params)).rows;
}

/** A web shopper who asked for a person: their session id and conversation id. */
export async function handedOff(services: Services, text = "je voudrais parler à un humain"): Promise<{ sessionId: string; conversationId: string }> {
  const first = await shopperSays(null, "Bonjour, vous avez des bougies ?");
  const r = await shopperSays(first.sessionId, text);
  if (!r.handoff) throw new Error(`no hand-off: ${r.reply.text}`);
  const conv = await services.store.rpc<{ id: string }>("chat_conversation_get", { p_channel: "web", p_user_key: first.sessionId });
  return { sessionId: first.sessionId, conversationId: conv.id };
}
