/**
 * Real Meta payloads found from outside (issue 16, defect #11): a Messenger postback with a
 * string timestamp, the "Get Started" postback, WhatsApp's `played` status, and the log lines a
 * closed window and a `failed` delivery must leave (one line each, no personal data).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as messengerPost } from "../../api/messenger-webhook.js";
import { POST as whatsappPost } from "../../api/whatsapp-webhook.js";
import { sendToUser } from "../../lib/channels/outbound.js";
import { outboundList } from "../../lib/channels/store.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";
import { useGraph } from "./graph-double.js";
import { META_ENV, MS_PAGE_ID, mid, msPayload, msPostback, signedPost, waMessages, waPayload, waStatus, waText, wamid } from "./meta-fixtures.js";

const server = useMsw();
const graph = useGraph(server);
let services: Services;
let seq = 0;
const psid = () => `26${String(5_000_000 + ++seq).padStart(14, "0")}`;
const phone = () => `3364${String(4_000_000 + ++seq).padStart(7, "0")}`;

beforeAll(async () => {
  services = await createTestServices({ ...META_ENV, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) });
});
afterAll(() => services.store.close());
beforeEach(() => {
  graph.reset();
  graph.install();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await setDbNow(services.store as PgliteStore, null);
});

/** Every log call of `level` as [message, fields]. */
function logged(level: "info" | "warn" | "error") {
  const calls: [string, Record<string, unknown> | undefined][] = [];
  const original = services.log[level].bind(services.log);
  vi.spyOn(services.log, level).mockImplementation((msg, fields) => {
    calls.push([msg, fields]);
    original(msg, fields);
  });
  return calls;
}

describe("Messenger postbacks as Meta sends them", () => {
  it("answers a postback whose timestamp is a string", async () => {
    const user = psid();
    const event = { sender: { id: user }, recipient: { id: MS_PAGE_ID }, timestamp: String(Date.now()), postback: { mid: mid(), title: "Voir les produits", payload: "search:" } };
    const res = await messengerPost(signedPost("/api/messenger-webhook", msPayload([event])));
    expect(await res.json()).toMatchObject({ messages: 1 });
    expect(graph.messenger().filter((c) => c.body.recipient.id === user).length).toBeGreaterThan(0);
  });

  it("greets a shopper who pressed Get Started instead of answering that it did not understand", async () => {
    const user = psid();
    await messengerPost(signedPost("/api/messenger-webhook", msPayload([msPostback(user, "GET_STARTED", "Get Started")])));
    const texts = graph.messenger().filter((c) => c.body.recipient.id === user).map((c) => String(c.body.message?.text ?? ""));
    expect(texts.join("\n")).toMatch(/Je suis l'assistant/);
    expect(texts.join("\n")).not.toMatch(/pas bien compris|didn't get/i);
  });
});

describe("WhatsApp status callbacks", () => {
  it("takes a played status as understood: no 'not understood' line", async () => {
    const warns = logged("warn");
    const res = await whatsappPost(signedPost("/api/whatsapp-webhook", waPayload([{ statuses: [{ ...waStatus(wamid(), "read"), status: "played" }] }])));
    expect(res.status).toBe(200);
    expect(warns.filter(([m]) => /not understood/.test(m))).toEqual([]);
  });

  it("logs a failed delivery once, with Meta's error code and without the recipient", async () => {
    const warns = logged("warn");
    const recipient = phone();
    const res = await whatsappPost(signedPost("/api/whatsapp-webhook", waPayload([{ statuses: [waStatus(wamid(), "failed", recipient)] }])));
    expect(res.status).toBe(200);
    const lines = warns.filter(([m]) => /delivery failed/.test(m));
    expect(lines).toHaveLength(1);
    expect(lines[0]![1]).toMatchObject({ channel: "whatsapp", code: "131026" });
    expect(JSON.stringify(lines)).not.toContain(recipient);
  });
});

describe("a reply the closed 24-hour window stops", () => {
  it("leaves one log line without personal data, and the row says why", async () => {
    const store = services.store as PgliteStore;
    const t0 = new Date("2026-11-25T09:00:00Z");
    await setDbNow(store, t0);
    const from = phone();
    const inbound = waPayload([waMessages({ wa_id: from }, [{ ...waText("merci"), timestamp: String(Math.floor(t0.getTime() / 1000)) }])]);
    expect((await whatsappPost(signedPost("/api/whatsapp-webhook", inbound))).status).toBe(200);
    graph.reset();
    graph.install();

    await setDbNow(store, new Date(t0.getTime() + 25 * 3600 * 1000));
    const infos = logged("info");
    const report = await sendToUser(services, { channel: "whatsapp", userId: from, key: `late:${from}`, reply: { text: "Toujours là ?", products: [], buttons: [], links: [], handoff: false } });
    expect(report).toMatchObject({ sent: 0, undeliverable: 1 });
    expect(graph.calls).toHaveLength(0);
    const lines = infos.filter(([m]) => /window is closed/.test(m));
    expect(lines).toHaveLength(1);
    expect(lines[0]![1]).toMatchObject({ channel: "whatsapp" });
    expect(JSON.stringify(lines)).not.toContain(from);
    expect((await outboundList(store, "whatsapp", { sourceKey: `late:${from}` }))[0]).toMatchObject({ status: "undeliverable" });
  });
});
