/**
 * POST /api/chat — one turn of the web chat.
 *
 * Body `{sessionId?, message, payload?, messageId?}`: `message` 1..CHAT_MAX_MESSAGE_CHARS
 * characters (may be empty when `payload`, a pressed button's payload, is given); `messageId`
 * (optional, 8..100 of [A-Za-z0-9_-]) makes a retry of the same message idempotent. A missing,
 * malformed or unknown `sessionId` starts a new session: ids are 192 random bits, issued here.
 *
 * JSON answer: `{sessionId, reply: {text, products, buttons, links, coupon?}, handoff}`.
 * With `Accept: text/event-stream`, the answer is Server-Sent Events:
 *   event: delta  data: {"text": "..."}       pieces of the reply text, in order
 *   event: reset  data: {}                    discard the text received so far (a model failed mid-answer)
 *   event: done   data: <the JSON answer>     always last on success; its reply.text is the whole text
 *   event: error  data: {"error": {code, message}}  instead of done, if the turn failed
 * Errors found before the turn starts (400, 429) are plain JSON responses in both modes.
 *
 * GET /api/chat?sessionId=…&after=<cursor> — the widget's poll while it is open:
 * `{messages: [{id, from: "shopper"|"assistant"|"owner"|"system", text, at, products, links}],
 * cursor, status}`, only that session's messages after the cursor (without one: the last 50);
 * `status` is the conversation's state (bot | needs_human | human | closed). Unknown or
 * malformed session -> 404. One round trip.
 *
 * Rate limits (Postgres, shared): CHAT_RATE_IP_* per client IP and CHAT_RATE_SESSION_* per
 * session -> 429 with Retry-After and a message the widget can show. They are counted inside
 * the turn's first database round trip. If the database is down the assistant still answers
 * (offline, saying it cannot remember the conversation).
 */
import { randomBytes, randomUUID } from "node:crypto";
import * as z from "zod/mini";
import { startTurn, type InboundMessage, type TurnResult } from "../lib/assistant/index.js";
import { ApiError } from "../lib/errors.js";
import { json, route } from "../lib/route.js";

const SESSION_ID = /^[A-Za-z0-9_-]{32,64}$/;
const MESSAGE_ID = /^[A-Za-z0-9_-]{8,100}$/;

/** A new session id: 24 random bytes (192 bits), base64url. */
export function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}

const bodySchema = z.object({
  // Any value is accepted here: a malformed session id means "a new session", not a 400.
  sessionId: z.optional(z.unknown()),
  message: z.string({ error: "message must be text" }).check(z.maxLength(100_000)),
  payload: z.optional(z.string().check(z.maxLength(200, "payload is too long"))),
  messageId: z.optional(z.string().check(z.regex(MESSAGE_ID, "messageId must be 8 to 100 letters, digits, _ or -"))),
});

export type ChatRequest = z.infer<typeof bodySchema>;

export interface ChatResponse {
  sessionId: string;
  reply: Pick<TurnResult["reply"], "text" | "products" | "buttons" | "links" | "coupon">;
  handoff: boolean;
}

function answerOf(r: TurnResult): ChatResponse {
  const { text, products, buttons, links, coupon, handoff } = r.reply;
  return { sessionId: r.userId, reply: { text, products, buttons, links, ...(coupon ? { coupon } : {}) }, handoff };
}

function preferredLanguage(request: Request): string | undefined {
  return /^\s*(fr|en)\b/i.exec(request.headers.get("accept-language") ?? "")?.[1]?.toLowerCase();
}

const pollQuery = z.object({
  sessionId: z.optional(z.string()),
  after: z.optional(z.string().check(z.regex(/^\d{1,18}$/, "after must be the cursor of a previous answer"))),
});

export interface ChatPoll {
  messages: { id: number; from: "shopper" | "assistant" | "owner" | "system"; text: string; at: string; products: unknown[]; links: unknown[] }[];
  cursor: string;
  status: "bot" | "needs_human" | "human" | "closed";
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("chat", {
  GET: {
    query: pollQuery,
    async handler({ query, services }) {
      const sessionId = query.sessionId && SESSION_ID.test(query.sessionId) ? query.sessionId : null;
      if (!sessionId) throw new ApiError("not_found", "No such chat session.");
      const poll = await services.store.rpc<ChatPoll | null>("chat_poll", { p_user_key: sessionId, p_after: query.after ?? null, p_limit: 50 });
      if (!poll) throw new ApiError("not_found", "No such chat session.");
      return poll;
    },
  },
  POST: {
    summary: "One turn of the web chat (JSON, or Server-Sent Events with Accept: text/event-stream)",
    body: bodySchema,
    responses: { 200: { description: "{sessionId, reply, handoff}, or the SSE stream" }, 429: { description: "Rate limited (Retry-After)" } },
    async handler({ request, body, ip, services, waitUntil }) {
      const { chat } = services.config;
      const message = body.message.trim();
      const payload = body.payload?.trim() || undefined;
      if ((!message && !payload) || message.length > chat.maxMessageChars) {
        throw new ApiError("validation_failed", "The request body is invalid.", {
          details: [{ path: "message", message: `message must be 1 to ${chat.maxMessageChars} characters` }],
        });
      }
      const given = typeof body.sessionId === "string" && SESSION_ID.test(body.sessionId) ? body.sessionId : null;
      const fresh = newSessionId();
      const language = preferredLanguage(request);
      const inbound: InboundMessage = {
        channel: "web",
        userId: given ?? fresh,
        messageId: body.messageId ?? `web_${randomUUID()}`,
        text: message,
        ...(payload ? { payload } : {}),
        ...(language ? { language } : {}),
      };
      const stream = /text\/event-stream/i.test(request.headers.get("accept") ?? "");
      const deferred: Promise<unknown>[] = [];

      const turn = await startTurn(services, inbound, {
        ...(given ? { fallbackUserId: fresh } : {}),
        rateLimits: [
          { key: `chat:ip:${ip}`, ...chat.rateIp },
          { key: `chat:session:${given ?? fresh}`, ...chat.rateSession },
        ],
        // JSON: after the response. SSE: before the stream closes (the function lives while it streams).
        waitUntil: stream ? (p) => void deferred.push(p) : waitUntil,
      });

      if (!stream) return json(answerOf(await turn.finish()));

      const encoder = new TextEncoder();
      const body$ = new ReadableStream<Uint8Array>({
        async start(controller) {
          const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
          try {
            const result = await turn.finish({
              onTextDelta: (text) => send("delta", { text }),
              onReset: () => send("reset", {}),
            });
            send("done", answerOf(result));
          } catch (err) {
            services.log.error("chat stream failed", { error: (err as Error)?.message, stack: (err as Error)?.stack });
            send("error", { error: { code: "internal", message: "The assistant could not answer. Please try again." } });
          }
          await Promise.allSettled(deferred);
          controller.close();
        },
      });
      return new Response(body$, {
        status: 200,
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" },
      });
    },
  },
});
