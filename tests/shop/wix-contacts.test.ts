import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../../lib/http/index.js";
import { ShopValidationError } from "../../lib/shop/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { FAST, WIX_ENV, recorder, wixError, wixShop } from "./wix-fixtures.js";

const server = useMsw();
let services: Services;
beforeAll(async () => {
  services = await createTestServices({ ...WIX_ENV, ...FAST });
});
afterAll(async () => {
  await services.store.close();
});

const QUERY = "/contacts/v4/contacts/query";
const LABELS = "/contacts/v4/labels";
const CONTACTS = "/contacts/v4/contacts";

/** A contact as Contacts v4 returns it with fieldsets FULL. */
function marie(revision: number, extra: Record<string, unknown> = {}) {
  return {
    id: "c7b3c0e2-0000-4000-8000-000000000001",
    revision,
    source: { sourceType: "WIX_APP", appId: "151e476a-715e-ec33-db9a-a7ff4d51f70a" },
    createdDate: "2026-10-01T09:00:00.000Z",
    updatedDate: "2026-11-01T09:00:00.000Z",
    primaryInfo: { email: "marie@example.fr", phone: "01 23 45 67 89" },
    info: {
      name: { first: "Marie", last: "Dupont" },
      emails: { items: [{ id: "e1", tag: "MAIN", email: "marie@example.fr", primary: true }] },
      phones: { items: [{ id: "p1", tag: "HOME", countryCode: "FR", phone: "01 23 45 67 89", e164Phone: "+33123456789", primary: true }] },
      labelKeys: { items: ["contacts.contacted-me"] },
      extendedFields: { items: { "contacts.displayByFirstName": "Marie Dupont" } },
      ...extra,
    },
  };
}

const label = { label: { key: "custom.chatbot-lead", displayName: "Chatbot Lead", namespace: "custom", labelType: "USER_DEFINED" }, newLabel: false };
const empty = { contacts: [], pagingMetadata: { count: 0, offset: 0, total: 0, tooManyToCount: false } };

describe("Wix CRM contacts", () => {
  it("creates a new contact with the chatbot-lead label, after finding none by e-mail", async () => {
    const rec = recorder();
    server.use(
      rec.on("post", QUERY, () => empty),
      rec.on("post", LABELS, () => ({ ...label, newLabel: true })),
      rec.on("post", CONTACTS, () => ({ contact: { id: "new-contact-1", revision: 1 } })),
    );
    const result = await wixShop(services).upsertContact({ email: " Jeanne.Martin@Example.FR ", name: "Jeanne  Martin-Leroy de Saint-Just", phone: "06 12 34 56 78" });

    expect(result).toEqual({ id: "new-contact-1", action: "created" });
    expect(rec.to(QUERY)[0]!.body).toEqual({
      query: { filter: { "primaryInfo.email": { $eq: "jeanne.martin@example.fr" } }, paging: { limit: 1 }, fieldsets: ["FULL"] },
    });
    expect(rec.to(LABELS)[0]!.body).toEqual({ displayName: "Chatbot Lead" });
    expect(rec.to(CONTACTS)[0]!.body).toEqual({
      info: {
        name: { first: "Jeanne", last: "Martin-Leroy de Saint-Just" },
        emails: { items: [{ email: "jeanne.martin@example.fr", tag: "MAIN" }] },
        phones: { items: [{ phone: "+33612345678", tag: "MOBILE" }] },
        labelKeys: { items: ["custom.chatbot-lead"] },
      },
      allowDuplicates: false,
    });
    expect(rec.seen.map((s) => `${s.method} ${s.path}`)).toEqual([`POST ${QUERY}`, `POST ${LABELS}`, `POST ${CONTACTS}`]);
  });

  it("updates an existing contact with its revision, keeping its phones and labels", async () => {
    const rec = recorder();
    server.use(
      rec.on("post", QUERY, () => ({ contacts: [marie(3)], pagingMetadata: { count: 1, offset: 0, total: 1, tooManyToCount: false } })),
      rec.on("post", LABELS, () => label),
      rec.on("patch", `${CONTACTS}/${marie(3).id}`, () => ({ contact: marie(4) })),
    );
    const result = await wixShop(services).upsertContact({ email: "Marie@Example.fr", name: "Marie Durand", phone: "+33 (0)6 12 34 56 78" });

    expect(result).toEqual({ id: marie(3).id, action: "updated" });
    expect(rec.to(`${CONTACTS}/${marie(3).id}`)[0]!.body).toEqual({
      revision: 3,
      info: {
        name: { first: "Marie", last: "Durand" },
        phones: { items: [{ tag: "HOME", countryCode: "FR", phone: "01 23 45 67 89", primary: true }, { tag: "MOBILE", phone: "+33612345678" }] },
        labelKeys: { items: ["contacts.contacted-me", "custom.chatbot-lead"] },
      },
    });
    expect(rec.to(CONTACTS)).toEqual([]); // no create
  });

  it("sends no PATCH when the contact already has everything", async () => {
    const rec = recorder();
    const known = marie(7, { labelKeys: { items: ["custom.chatbot-lead"] } });
    server.use(rec.on("post", QUERY, () => ({ contacts: [known] })), rec.on("post", LABELS, () => label));
    const result = await wixShop(services).upsertContact({ email: "marie@example.fr", name: "Marie Dupont", phone: "01.23.45.67.89" });
    expect(result).toEqual({ id: known.id, action: "updated" });
    expect(rec.seen.filter((s) => s.method === "PATCH")).toEqual([]);
  });

  it("treats a 409 DUPLICATE_CONTACT_EXISTS on create as a find, then updates that contact", async () => {
    const rec = recorder();
    const id = marie(5).id;
    server.use(
      rec.on("post", QUERY, () => empty), // not yet visible to queries (eventual consistency)
      rec.on("post", LABELS, () => label),
      rec.on("post", CONTACTS, () => wixError(409, "DUPLICATE_CONTACT_EXISTS", { duplicateContactId: id, duplicateEmail: "marie@example.fr" })),
      rec.on("get", `${CONTACTS}/${id}`, () => ({ contact: marie(5) })),
      rec.on("patch", `${CONTACTS}/${id}`, () => ({ contact: marie(6) })),
    );
    const result = await wixShop(services).upsertContact({ email: "marie@example.fr", name: "Marie Dupont" });

    expect(result).toEqual({ id, action: "updated" });
    expect(rec.to(CONTACTS)).toHaveLength(1); // the 409 is not retried
    expect(rec.to(`${CONTACTS}/${id}`).map((s) => `${s.method}${s.search}`)).toEqual(["GET?fieldsets=FULL", "PATCH"]);
    expect(rec.to(`${CONTACTS}/${id}`)[1]!.body).toEqual({ revision: 5, info: { labelKeys: { items: ["contacts.contacted-me", "custom.chatbot-lead"] } } });
  });

  it("re-reads and retries once when the revision is stale (CONTACT_ALREADY_CHANGED)", async () => {
    const rec = recorder();
    const id = marie(3).id;
    server.use(
      rec.on("post", QUERY, () => ({ contacts: [marie(3)] })),
      rec.on("post", LABELS, () => label),
      rec.on("patch", `${CONTACTS}/${id}`, (_r, n) => (n === 1 ? wixError(409, "CONTACT_ALREADY_CHANGED") : { contact: marie(5) })),
      rec.on("get", `${CONTACTS}/${id}`, () => ({ contact: marie(4) })),
    );
    expect(await wixShop(services).upsertContact({ email: "marie@example.fr", name: "Marie Durand" })).toEqual({ id, action: "updated" });
    expect(rec.seen.filter((s) => s.method === "PATCH").map((s) => (s.body as { revision: number }).revision)).toEqual([3, 4]);
  });

  it("refuses a contact without a valid e-mail before any request", async () => {
    const rec = recorder();
    server.use(rec.on("post", QUERY, () => empty));
    await expect(wixShop(services).upsertContact({ email: "not-an-email", name: "X" })).rejects.toBeInstanceOf(ShopValidationError);
    expect(rec.seen).toEqual([]);
  });

  it("does not create a contact when the lookup fails (outage is an error, not 'not found')", async () => {
    const rec = recorder();
    server.use(rec.on("post", QUERY, () => wixError(500, "INTERNAL")), rec.on("post", CONTACTS, () => ({ contact: { id: "x", revision: 1 } })));
    await expect(wixShop(services).upsertContact({ email: "a@b.fr" })).rejects.toBeInstanceOf(UpstreamError);
    expect(rec.to(CONTACTS)).toEqual([]);
  });
});
