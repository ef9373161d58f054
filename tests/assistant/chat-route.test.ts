/**
 * POST /api/chat at the HTTP edge: the JSON answer, session ids, validation, buttons, SSE
 * framing (offline and with a streaming model), rate limits, the store being down, and the
 * database round trips of a turn.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/chat.js";
import { setServices, type Services } from "../../lib/services.js";
import { StoreError, type Store } from "../../lib/store/store.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { rows } from "./harness.js";
import { MODEL_ENV, useEmbeddings, useGemini, useHfRouter } from "./model-doubles.js";

const server = useMsw();
const hf = useHfRouter(server);
useGemini(server);
useEmbeddings(server);

const ip = () => `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
function chat(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return POST(req("/api/chat", { method: "POST", body, headers: { "x-real-ip": ip(), ...headers } }));
}
async function json(res: Response): Promise<any> {
  return res.json();
}

interface SseEvent { event: string; data: any; raw: string }
/** Splits an SSE body into events, checking each block is `event: x\ndata: {json}`. */
async function sse(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((raw) => {
      const m = /^event: ([a-z]+)\ndata: (.*)$/.exec(raw);
      if (!m) throw new Error(`malformed SSE block: ${JSON.stringify(raw)}`);
      return { event: m[1]!, data: JSON.parse(m[2]!), raw };
    });
}

describe("POST /api/chat, offline", () => {
  let services: Services;
  beforeAll(async () => {
    services = await createTestServices({ CHAT_MAX_MESSAGE_CHARS: "200", CHAT_RATE_IP_LIMIT: "1000", CHAT_RATE_SESSION_LIMIT: "1000" });
  });
  beforeEach(() => setServices(services));
  afterAll(async () => services.store.close());

  it("answers with a new unguessable session id and the reply", async () => {
    const res = await chat({ message: "vous avez des robes ?" });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(["handoff", "reply", "sessionId"]);
    expect(body.sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes = 192 bits
    expect(Buffer.from(body.sessionId, "base64url")).toHaveLength(24);
    expect(Object.keys(body.reply).sort()).toEqual(["buttons", "links", "products", "text"]);
    expect(body.reply.products.length).toBeGreaterThan(0);
    expect(body.handoff).toBe(false);
    const other = await json(await chat({ message: "Bonjour" }));
    expect(other.sessionId).not.toBe(body.sessionId);
  });

  it("continues the conversation of a session id it issued", async () => {
    const first = await json(await chat({ message: "Robe", payload: "details:ml-robe-lin-sable" }));
    const second = await json(await chat({ sessionId: first.sessionId, message: "je le prends en 38" }));
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.reply.text).toContain("89,00 € (1 × Robe en lin Sable (38))");
    expect(await rows(services, "select count(*)::int as n from chat_conversation where user_key = $1", [first.sessionId])).toEqual([{ n: 1 }]);
  });

  it.each([["abc"], [12345], ["../../etc/passwd"], [{ id: "x" }], ["x".repeat(500)]])("starts a new session for the malformed session id %j", async (sessionId) => {
    const res = await chat({ sessionId, message: "Bonjour" });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(body.sessionId).not.toBe(sessionId);
  });

  it("never adopts a well-formed session id it did not issue", async () => {
    const planted = randomBytes(24).toString("base64url");
    const body = await json(await chat({ sessionId: planted, message: "Bonjour" }));
    expect(body.sessionId).not.toBe(planted);
    expect(await rows(services, "select 1 from chat_conversation where user_key = $1", [planted])).toEqual([]);
    expect(await rows(services, "select 1 from chat_conversation where user_key = $1", [body.sessionId])).toHaveLength(1);
  });

  it.each([
    ["no message", {}],
    ["an empty message", { message: "   " }],
    ["a message over CHAT_MAX_MESSAGE_CHARS", { message: "a".repeat(201) }],
    ["a message that is not text", { message: 42 }],
    ["a malformed messageId", { message: "Bonjour", messageId: "<script>" }],
  ])("refuses %s with 400 validation_failed", async (_name, body) => {
    const res = await chat(body);
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe("validation_failed");
  });

  it("refuses a body that is not JSON with 415", async () => {
    const res = await POST(new Request("http://shop.test/api/chat", { method: "POST", headers: { "content-type": "text/plain" }, body: "Bonjour" }));
    expect(res.status).toBe(415);
  });

  it("accepts a pressed button with no text, and answers it", async () => {
    const body = await json(await chat({ message: "", payload: "buy:ml-bougie-figue-noire" }));
    expect(body.reply.text).toMatch(/Le paiement en ligne n'est pas encore activé.*Total vérifié : 24,90 €/s);
  });

  it("passes a coupon offer to the widget with its redeem button", async () => {
    const body = await json(await chat({ message: "une réduction ?" }));
    expect(body.reply.coupon).toMatchObject({ type: "PERCENTAGE", value: 10, offerId: expect.stringMatching(/^off_/) });
    expect(body.reply.buttons).toContainEqual({ title: "Obtenir mon code", payload: `redeem:${body.reply.coupon.offerId}` });
  });

  it("answers a repeated messageId with the same reply, without a second turn", async () => {
    const first = await json(await chat({ message: "une réduction ?", messageId: "client-msg-0001" }));
    const again = await json(await chat({ sessionId: first.sessionId, message: "une réduction ?", messageId: "client-msg-0001" }));
    expect(again.reply).toEqual(first.reply);
    expect(await rows(services, "select count(*)::int as n from chat_message m join chat_conversation c on c.id = m.conversation_id where c.user_key = $1", [first.sessionId])).toEqual([{ n: 2 }]);
  });

  it("hands off, then stays silent: handoff true and an empty text", async () => {
    const first = await json(await chat({ message: "je veux parler à un conseiller" }));
    expect(first.handoff).toBe(true);
    const next = await json(await chat({ sessionId: first.sessionId, message: "vous êtes là ?" }));
    expect(next).toEqual({ sessionId: first.sessionId, reply: { text: "", products: [], buttons: [], links: [] }, handoff: true });
  });

  it("streams SSE: delta events then a done event carrying the same object as the JSON answer", async () => {
    const res = await chat({ message: "Quels sont les délais de livraison ?" }, { accept: "text/event-stream, application/json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = await sse(res);
    expect(events.at(-1)!.event).toBe("done");
    expect(events.slice(0, -1).every((e) => e.event === "delta" && typeof e.data.text === "string")).toBe(true);
    const done = events.at(-1)!.data;
    expect(Object.keys(done).sort()).toEqual(["handoff", "reply", "sessionId"]);
    expect(events.filter((e) => e.event === "delta").map((e) => e.data.text).join("")).toBe(done.reply.text);
    expect(done.reply.text).toContain("2 à 4 jours ouvrés");
  });

  it("costs two database round trips for an offline turn, rate limits included", async () => {
    const first = await json(await chat({ message: "Bonjour" }));
    const before = services.store.roundTrips;
    const res = await chat({ sessionId: first.sessionId, message: "Merci beaucoup" });
    expect(res.status).toBe(200);
    expect(services.store.roundTrips - before).toBe(2);
  });
});

describe("POST /api/chat, rate limits", () => {
  let services: Services;
  beforeAll(async () => {
    services = await createTestServices({ CHAT_RATE_IP_LIMIT: "3", CHAT_RATE_IP_WINDOW_SECONDS: "60", CHAT_RATE_SESSION_LIMIT: "2", CHAT_RATE_SESSION_WINDOW_SECONDS: "120" });
  });
  beforeEach(() => setServices(services));
  afterAll(async () => services.store.close());

  it("answers 429 with Retry-After and a message in the shopper's language past the per-IP limit", async () => {
    const headers = { "x-real-ip": "203.0.113.7" };
    for (let i = 0; i < 3; i++) expect((await chat({ message: "Bonjour" }, headers)).status).toBe(200);
    const res = await chat({ message: "Bonjour encore" }, headers);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    const body = await json(res);
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/^Vous envoyez beaucoup de messages : patientez \d+ s/);
    const en = await json(await chat({ message: "Hello, do you have candles?" }, headers));
    expect(en.error.message).toMatch(/^You are sending a lot of messages/);
    // Another address is not affected.
    expect((await chat({ message: "Bonjour" }, { "x-real-ip": "203.0.113.8" })).status).toBe(200);
  });

  it("limits a session across addresses, stores nothing for a refused message, and refuses before streaming", async () => {
    const first = await json(await chat({ message: "Bonjour" }));
    expect((await chat({ sessionId: first.sessionId, message: "vous avez des robes ?" })).status).toBe(200);
    const count = async () => (await rows(services, "select count(*)::int as n from chat_message m join chat_conversation c on c.id = m.conversation_id where c.user_key = $1", [first.sessionId]))[0];
    const before = await count();
    const res = await chat({ sessionId: first.sessionId, message: "et des bougies ?" }, { accept: "text/event-stream" });
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await count()).toEqual(before);
  });
});

describe("POST /api/chat, with a streaming model", () => {
  let services: Services;
  beforeAll(async () => {
    services = await createTestServices({ ...MODEL_ENV });
  });
  beforeEach(() => setServices(services));
  afterAll(async () => services.store.close());

  it("frames each model delta as an SSE event and ends with done", async () => {
    hf.script({ calls: [{ name: "search_products", args: { query: "bougie" } }] }, { text: "Nous avons quatre bougies, coulées à la main à Aix." });
    const res = await chat({ message: "Vous avez des bougies ?" }, { accept: "text/event-stream" });
    const events = await sse(res);
    const deltas = events.filter((e) => e.event === "delta");
    expect(deltas.length).toBeGreaterThan(5);
    expect(events.at(-1)!.event).toBe("done");
    expect(events.at(-1)!.raw).toBe(`event: done\ndata: ${JSON.stringify(events.at(-1)!.data)}`);
    expect(deltas.map((e) => e.data.text).join("")).toBe("Nous avons quatre bougies, coulées à la main à Aix.");
    expect(events.at(-1)!.data.reply.products.length).toBeGreaterThan(0);
  });
});

describe("POST /api/chat, store down", () => {
  let services: Services;
  beforeAll(async () => {
    const down: Store = {
      kind: "postgres",
      roundTrips: 0,
      rpc: async (name: string) => {
        throw new StoreError(`${name}: connect ECONNREFUSED 127.0.0.1:5432`, "ECONNREFUSED", name);
      },
      close: async () => {},
    };
    services = await createTestServices({}, down);
  });
  beforeEach(() => setServices(services));

  it("still answers 200, offline, saying it cannot remember the conversation", async () => {
    const res = await chat({ message: "Bonjour" });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.reply.text).toMatch(/^Petit souci technique de mon côté : je ne peux pas me souvenir de notre conversation pour le moment\.\n\nBonjour !/);
    expect(body.sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("still streams a done event", async () => {
    const events = await sse(await chat({ message: "Hello" }, { accept: "text/event-stream" }));
    expect(events.at(-1)!.event).toBe("done");
    expect(events.at(-1)!.data.reply.text).toMatch(/^A technical hiccup on my side/);
  });
});
