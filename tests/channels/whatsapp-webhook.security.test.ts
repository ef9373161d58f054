/**
 * WhatsApp webhook security: the verification challenge, and X-Hub-Signature-256 checked on the
 * raw body before anything is parsed or stored (only a valid signature gets through).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET, POST } from "../../api/whatsapp-webhook.js";
import { ConfigError, loadConfig } from "../../lib/config.js";
import { inboundGet, outboundList } from "../../lib/channels/store.js";
import { signMetaBody } from "../../lib/channels/signature.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { useGraph } from "./graph-double.js";
import { APP_SECRET, META_ENV, signedPost, waMessages, waPayload, waText, wamid } from "./meta-fixtures.js";

const server = useMsw();
const graph = useGraph(server);
let services: Services;

beforeAll(async () => {
  services = await createTestServices({ ...META_ENV });
});
afterAll(() => services.store.close());
beforeEach(() => {
  graph.reset();
  graph.install();
});

const verify = (q: Record<string, string>) => GET(req(`/api/whatsapp-webhook?${new URLSearchParams(q)}`));

describe("GET /api/whatsapp-webhook (verification)", () => {
  it("echoes the challenge as plain text when the mode is subscribe and the token matches", async () => {
    const res = await verify({ "hub.mode": "subscribe", "hub.verify_token": "wa-verify-token-123", "hub.challenge": "1158201444" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("1158201444");
  });

  it.each([
    ["a wrong token", { "hub.mode": "subscribe", "hub.verify_token": "wa-verify-token-12", "hub.challenge": "1158201444" }],
    ["another channel's token", { "hub.mode": "subscribe", "hub.verify_token": "ms-verify-token-456", "hub.challenge": "1158201444" }],
    ["no token", { "hub.mode": "subscribe", "hub.challenge": "1158201444" }],
    ["a mode other than subscribe", { "hub.mode": "unsubscribe", "hub.verify_token": "wa-verify-token-123", "hub.challenge": "1158201444" }],
    ["a challenge that is not a plain token", { "hub.mode": "subscribe", "hub.verify_token": "wa-verify-token-123", "hub.challenge": "<script>" }],
  ])("answers 403 for %s and never echoes the challenge", async (_name, q) => {
    const res = await verify(q);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("1158201444");
  });

  it("answers 403 when WhatsApp is not configured", async () => {
    const other = await createTestServices({ META_APP_SECRET: APP_SECRET });
    try {
      const res = await verify({ "hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1158201444" });
      expect(res.status).toBe(403);
    } finally {
      await other.store.close();
      services = await createTestServices({ ...META_ENV }, services.store);
    }
  });
});

describe("POST /api/whatsapp-webhook (signature)", () => {
  const payloadFor = (id: string) => waPayload([waMessages({ wa_id: "33612345678", name: "Marie" }, [waText("Bonjour", id)])]);

  async function nothingStored(id: string) {
    expect(await inboundGet(services.store, "whatsapp", id)).toBeNull();
    expect(await outboundList(services.store, "whatsapp", { sourceKey: id })).toEqual([]);
    const conv = await services.store.rpc("chat_conversation_get", { p_channel: "whatsapp", p_user_key: "33612345678" });
    expect(conv).toBeNull();
    expect(graph.calls).toHaveLength(0);
  }

  it.each<[string, (body: string) => string | null]>([
    ["missing", () => null],
    ["wrong", () => `sha256=${"0".repeat(64)}`],
    ["made with another secret", (body) => signMetaBody(body, "not-the-app-secret")],
    ["of the wrong algorithm (sha1=)", () => `sha1=${"a".repeat(40)}`],
    ["sha1= with the right sha256 hex", (body) => signMetaBody(body, APP_SECRET).replace("sha256=", "sha1=")],
    ["without the sha256= prefix", (body) => signMetaBody(body, APP_SECRET).slice("sha256=".length)],
    ["truncated", (body) => signMetaBody(body, APP_SECRET).slice(0, 40)],
  ])("rejects a %s signature with 401 and stores nothing", async (_name, sign) => {
    const id = wamid();
    const body = JSON.stringify(payloadFor(id));
    const res = await POST(signedPost("/api/whatsapp-webhook", body, { signature: sign(body) }));
    expect(res.status).toBe(401);
    const json = await res.json();
    expect(json.error.code).toBe("invalid_signature");
    // The expected signature is never echoed.
    expect(JSON.stringify(json)).not.toContain(signMetaBody(body, APP_SECRET).slice(7, 20));
    await nothingStored(id);
  });

  it("rejects a body altered by one byte after signing", async () => {
    const id = wamid();
    const body = JSON.stringify(payloadFor(id));
    const signature = signMetaBody(body, APP_SECRET);
    const altered = body.replace("Bonjour", "Bonjous");
    expect(altered.length).toBe(body.length);
    const res = await POST(signedPost("/api/whatsapp-webhook", altered, { signature }));
    expect(res.status).toBe(401);
    await nothingStored(id);
  });

  it("accepts the valid signature, and only it", async () => {
    const id = wamid();
    const res = await POST(signedPost("/api/whatsapp-webhook", payloadFor(id)));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true, messages: 1, duplicates: 0 });
    expect(await inboundGet(services.store, "whatsapp", id)).toMatchObject({ status: "done", action: "turn" });
    expect(graph.whatsapp()).toHaveLength(1);
  });

  it("answers 503 not_configured when there is no App Secret to check with, and stores nothing", async () => {
    const bare = await createTestServices({});
    try {
      const id = wamid();
      const res = await POST(signedPost("/api/whatsapp-webhook", payloadFor(id)));
      expect(res.status).toBe(503);
      expect((await res.json()).error.code).toBe("not_configured");
      expect(await inboundGet(bare.store, "whatsapp", id)).toBeNull();
    } finally {
      await bare.store.close();
      services = await createTestServices({ ...META_ENV }, services.store);
    }
  });

  it("answers 400 for a signed body that is not JSON, after the signature check", async () => {
    const res = await POST(signedPost("/api/whatsapp-webhook", "{not json"));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_json");
  });

  it("acknowledges other Meta objects and unknown fields with 200 and does nothing", async () => {
    const res = await POST(signedPost("/api/whatsapp-webhook", { object: "instagram", entry: [{ id: "1", changes: [{ field: "comments", value: {} }] }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true, messages: 0 });
    expect(graph.calls).toHaveLength(0);
  });
});

describe("configuration", () => {
  it.each([
    ["WhatsApp", { WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1", WHATSAPP_VERIFY_TOKEN: "v" }],
    ["Messenger", { MESSENGER_PAGE_ACCESS_TOKEN: "t", MESSENGER_PAGE_ID: "1", MESSENGER_VERIFY_TOKEN: "v" }],
  ])("refuses to start with %s configured but no META_APP_SECRET", (_name, vars) => {
    expect(() => loadConfig(vars)).toThrow(ConfigError);
    expect(() => loadConfig(vars)).toThrow(/META_APP_SECRET/);
  });
});
