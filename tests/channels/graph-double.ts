/**
 * A Graph API double on msw: records every send (path, query, auth, JSON body) and answers like
 * Meta (FACTS §1/§2) — or with whatever a test queues (Graph error bodies, 5xx, 429).
 */
import { http, HttpResponse } from "msw";
import type { SetupServer } from "msw/node";

export interface GraphCall {
  node: string;
  version: string;
  query: URLSearchParams;
  authorization: string | null;
  body: any;
}

export type GraphAnswer = Response | ((call: GraphCall) => Response | Promise<Response>);

export function graphError(status: number, code: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return HttpResponse.json({ error: { message, type: "OAuthException", code, fbtrace_id: "AbCdEf123", ...extra } }, { status, headers });
}

export function useGraph(server: SetupServer) {
  const calls: GraphCall[] = [];
  const queue: GraphAnswer[] = [];
  let fallback: GraphAnswer | null = null;
  let n = 0;

  const handler = http.post("https://graph.facebook.com/:version/:node/messages", async ({ request, params }) => {
    const url = new URL(request.url);
    const call: GraphCall = {
      node: String(params.node),
      version: String(params.version),
      query: url.searchParams,
      authorization: request.headers.get("authorization"),
      body: await request.json(),
    };
    calls.push(call);
    const next = queue.shift() ?? fallback;
    if (next) return typeof next === "function" ? next(call) : next.clone();
    n++;
    if (call.node === "me") return HttpResponse.json({ recipient_id: call.body?.recipient?.id, message_id: `m_OUT${n}` });
    const input = call.body?.to ?? call.body?.recipient;
    return HttpResponse.json({
      messaging_product: "whatsapp",
      contacts: [{ input, wa_id: call.body?.to ?? undefined, ...(call.body?.recipient ? { user_id: call.body.recipient } : {}) }],
      messages: [{ id: `wamid.OUT${n}` }],
    });
  });

  return {
    calls,
    install() {
      server.use(handler);
    },
    /** The next answers, in order (then normal answers again). */
    answer(...answers: GraphAnswer[]) {
      queue.push(...answers);
    },
    /** Answer every call this way until `reset()`. */
    always(answer: GraphAnswer | null) {
      fallback = answer;
    },
    reset() {
      calls.length = 0;
      queue.length = 0;
      fallback = null;
    },
    whatsapp: () => calls.filter((c) => c.node !== "me"),
    messenger: () => calls.filter((c) => c.node === "me"),
  };
}
