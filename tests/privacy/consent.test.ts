/**
 * Consent to hear from the shop: the lead form's explicit choice is stored with the exact words
 * shown, the time, the channel and the language; a choice without its words counts for
 * nothing; a lead without consent gets the request label in the shop's contacts, never the
 * marketing one; a later unticked form does not withdraw an earlier yes.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { POST } from "../../api/lead.js";
import { leadGet } from "../../lib/leads/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { createTestServices, req } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";

const WORDS = "J'accepte de recevoir par e-mail les nouveautés et offres de Maison Lumière. Je peux me désinscrire à tout moment.";
const opened: Services[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.store.close()));
});
async function start() {
  const s = await createTestServices({ OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-consent-")) });
  opened.push(s);
  return s;
}
const post = async (body: unknown) => {
  const res = await POST(req("/api/lead", { method: "POST", body, headers: { "x-forwarded-for": "203.0.113.7" } }));
  return { status: res.status, body: (await res.json()) as { leadId: string } };
};
const labels = async (s: Services, email: string) =>
  ((await (s.store as PgliteStore).db.query<{ labels: string[] }>("select labels from shop_demo_contacts where email = $1", [email])).rows[0]?.labels);

describe("consent from the lead form", () => {
  it("stores a yes with the exact words shown, the time, the channel and the language, and labels the contact for marketing", async () => {
    const s = await start();
    await setDbNow(s.store as PgliteStore, "2026-12-01T09:30:00Z");
    const { status, body } = await post({ email: "lea@example.fr", name: "Léa Petit", consent: true, consentText: WORDS, language: "fr" });
    expect(status).toBe(201);
    const lead = await leadGet(s.store, body.leadId);
    expect(lead?.lead).toMatchObject({ consent: true, consent_text: WORDS, consent_channel: "web", consent_language: "fr" });
    expect(new Date(lead!.lead.consent_at!).toISOString()).toBe("2026-12-01T09:30:00.000Z");
    expect(lead?.consents).toEqual([{ id: expect.any(Number), consent: true, wording: WORDS, channel: "web", language: "fr", created_at: expect.any(String) }]);
    expect(await labels(s, "lea@example.fr")).toEqual(["custom.chatbot-lead"]);
  });

  it("keeps a lead whose box was left unticked for its request only, with the refusal and its words on record", async () => {
    const s = await start();
    const { body } = await post({ email: "paul@example.fr", message: "Rappelez-moi pour la table", consent: false, consentText: WORDS, language: "fr" });
    const lead = await leadGet(s.store, body.leadId);
    expect(lead?.lead).toMatchObject({ consent: false, consent_text: null, message: "Rappelez-moi pour la table" });
    expect(lead?.consents).toMatchObject([{ consent: false, wording: WORDS, channel: "web" }]);
    expect(await labels(s, "paul@example.fr")).toEqual(["custom.chatbot-request"]);
  });

  it("records no consent for a yes sent without the words it answered", async () => {
    const s = await start();
    const { body } = await post({ email: "anon@example.fr", consent: true });
    const lead = await leadGet(s.store, body.leadId);
    expect(lead?.lead).toMatchObject({ consent: false, consent_at: null });
    expect(lead?.consents).toEqual([]);
    expect(await labels(s, "anon@example.fr")).toEqual(["custom.chatbot-request"]);
  });

  it("does not take back an earlier yes when a later form is left unticked", async () => {
    const s = await start();
    const first = await post({ email: "lea@example.fr", consent: true, consentText: WORDS, language: "fr" });
    await post({ email: "lea@example.fr", message: "Une autre question", consent: false, consentText: WORDS, language: "fr" });
    const lead = await leadGet(s.store, first.body.leadId);
    expect(lead?.lead).toMatchObject({ consent: true, consent_text: WORDS });
    expect(lead?.consents.map((c) => c.consent)).toEqual([true, false]);
    expect(await labels(s, "lea@example.fr")).toEqual(["custom.chatbot-lead"]);
  });
});
