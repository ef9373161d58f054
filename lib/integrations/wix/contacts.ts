/**
 * Wix CRM (Contacts v4): upsert a contact by e-mail. Find by `primaryInfo.email`; update with the
 * contact's revision (re-read and retry once on CONTACT_ALREADY_CHANGED); or create it with the
 * `custom.chatbot-lead` label (the label is found-or-created first). A 409
 * DUPLICATE_CONTACT_EXISTS on create (a concurrent create, or a retried one) becomes an update.
 */
import { z } from "zod";
import { isUnavailable, UpstreamError } from "../../http/index.js";
import type { Logger } from "../../log.js";
import { normaliseContact, normalisePhone, type NormalisedContact } from "../../shop/contact.js";
import type { ContactInput, ContactResult } from "../../shop/types.js";
import { invalidWixResponse, wixErrorData, wixPath, type WixClient } from "./client.js";

export const CHATBOT_LABEL_NAME = "Chatbot Lead";
export const CHATBOT_LABEL_KEY = "custom.chatbot-lead";

const PhoneItem = z.looseObject({ phone: z.string().nullish(), tag: z.string().nullish(), countryCode: z.string().nullish(), primary: z.boolean().nullish() });
export const WixContact = z.looseObject({
  id: z.string(),
  revision: z.coerce.number().int(),
  primaryInfo: z.looseObject({ email: z.string().nullish(), phone: z.string().nullish() }).nullish(),
  info: z
    .looseObject({
      name: z.looseObject({ first: z.string().nullish(), last: z.string().nullish() }).nullish(),
      phones: z.looseObject({ items: z.array(PhoneItem).nullish() }).nullish(),
      labelKeys: z.looseObject({ items: z.array(z.string()).nullish() }).nullish(),
    })
    .nullish(),
});
export type WixContact = z.infer<typeof WixContact>;

const QueryResponse = z.looseObject({ contacts: z.array(WixContact).default([]) });
const ContactResponse = z.looseObject({ contact: WixContact });
const LabelResponse = z.looseObject({ label: z.looseObject({ key: z.string() }) });

type Wanted = NormalisedContact;

/** The `info` changes that bring `c` up to date with `w`, or null when there are none. */
export function contactUpdateInfo(c: WixContact, w: Wanted, labelKey: string | null): Record<string, unknown> | null {
  const info: Record<string, unknown> = {};
  const name = c.info?.name ?? {};
  if (w.first && (w.first !== name.first || (w.last ?? null) !== (name.last ?? null))) {
    info.name = { first: w.first, ...(w.last ? { last: w.last } : {}) };
  }
  const phones = c.info?.phones?.items ?? [];
  const known = phones.some((p) => normalisePhone(p.phone) === w.phone) || normalisePhone(c.primaryInfo?.phone) === w.phone;
  if (w.phone && !known) {
    const kept = phones.map((p) => Object.fromEntries(Object.entries({ tag: p.tag, countryCode: p.countryCode, phone: p.phone, primary: p.primary }).filter(([, v]) => v != null)));
    info.phones = { items: [...kept, { tag: "MOBILE", phone: w.phone }] };
  }
  const labels = c.info?.labelKeys?.items ?? [];
  if (labelKey && !labels.includes(labelKey)) info.labelKeys = { items: [...labels, labelKey] };
  return Object.keys(info).length ? info : null;
}

export function createContactBody(w: Wanted, labelKey: string | null) {
  return {
    info: {
      ...(w.first ? { name: { first: w.first, ...(w.last ? { last: w.last } : {}) } } : {}),
      emails: { items: [{ email: w.email, tag: "MAIN" }] },
      ...(w.phone ? { phones: { items: [{ phone: w.phone, tag: "MOBILE" }] } } : {}),
      ...(labelKey ? { labelKeys: { items: [labelKey] } } : {}),
    },
    allowDuplicates: false,
  };
}

export interface WixContacts {
  upsertContact(input: ContactInput): Promise<ContactResult>;
}

export function createWixContacts(client: WixClient, log: Logger): WixContacts {
  let labelKey: Promise<string | null> | undefined;

  const parse = <T>(schema: z.ZodType<T>, what: string, data: unknown): T => {
    const r = schema.safeParse(data);
    if (!r.success) throw invalidWixResponse(what, r.error.message);
    return r.data;
  };

  /** Find-or-create of the label; a refusal (permissions) is logged and the contact goes without it. */
  const ensureLabel = (): Promise<string | null> =>
    (labelKey ??= client
      .site({ method: "POST", path: "/contacts/v4/labels", json: { displayName: CHATBOT_LABEL_NAME }, idempotent: true })
      .then((data) => parse(LabelResponse, "label", data).label.key)
      .catch((err: unknown) => {
        labelKey = undefined;
        if (isUnavailable(err)) throw err;
        log.warn("wix label could not be created; contact saved without it", { error: (err as Error).message });
        return null;
      }));

  const findByEmail = async (email: string): Promise<WixContact | null> => {
    const data = await client.site({
      method: "POST",
      path: "/contacts/v4/contacts/query",
      json: { query: { filter: { "primaryInfo.email": { $eq: email } }, paging: { limit: 1 }, fieldsets: ["FULL"] } },
      idempotent: true,
    });
    return parse(QueryResponse, "contacts query", data).contacts[0] ?? null;
  };

  const getById = async (id: string): Promise<WixContact> => {
    const data = await client.site({ method: "GET", path: wixPath`/contacts/v4/contacts/${id}`, query: { fieldsets: "FULL" } });
    return parse(ContactResponse, "contact get", data).contact;
  };

  const update = async (contact: WixContact, w: Wanted, retried = false): Promise<ContactResult> => {
    const label = await ensureLabel();
    const info = contactUpdateInfo(contact, w, label);
    if (!info) return { id: contact.id, action: "updated" };
    try {
      // PATCH with the revision read: Wix refuses it if the contact changed meanwhile. That also
      // makes a retry safe: a repeat of an applied PATCH fails on the revision, is re-read, and
      // then has nothing left to change.
      await client.site({
        method: "PATCH",
        path: wixPath`/contacts/v4/contacts/${contact.id}`,
        json: { revision: contact.revision, info },
        idempotent: true,
      });
    } catch (err) {
      if (!retried && err instanceof UpstreamError && err.code === "CONTACT_ALREADY_CHANGED") {
        return update(await getById(contact.id), w, true);
      }
      throw err;
    }
    return { id: contact.id, action: "updated" };
  };

  return {
    async upsertContact(input) {
      const w = normaliseContact(input);
      const existing = await findByEmail(w.email);
      if (existing) return update(existing, w);
      const label = await ensureLabel();
      try {
        // allowDuplicates:false makes a repeated create a 409, so retrying it is safe.
        const data = await client.site({ method: "POST", path: "/contacts/v4/contacts", json: createContactBody(w, label), idempotent: true });
        return { id: parse(ContactResponse, "contact create", data).contact.id, action: "created" };
      } catch (err) {
        const duplicateId = wixErrorData(err)?.duplicateContactId;
        if (err instanceof UpstreamError && err.code === "DUPLICATE_CONTACT_EXISTS") {
          const contact = typeof duplicateId === "string" ? await getById(duplicateId) : await findByEmail(w.email);
          if (contact) return update(contact, w);
        }
        throw err;
      }
    },
  };
}
