/**
 * Wix CRM (Contacts v4): upsert a contact by e-mail. Find by `primaryInfo.email`; update with the
 * contact's revision (re-read and retry once on CONTACT_ALREADY_CHANGED); or create it with the
 * `custom.chatbot-lead` label (the label is found-or-created first). A 409
 * DUPLICATE_CONTACT_EXISTS on create (a concurrent create, or a retried one) becomes an update.
 */
import * as z from "zod/mini";
import { isUnavailable, UpstreamError } from "../../http/index.js";
import type { Logger } from "../../log.js";
import { normaliseContact, normalisePhone, type NormalisedContact } from "../../shop/contact.js";
import type { ContactInput, ContactResult } from "../../shop/types.js";
import { invalidWixResponse, wixErrorData, wixPath, type WixClient } from "./client.js";

export const CHATBOT_LABEL_NAME = "Chatbot Lead";
export const CHATBOT_LABEL_KEY = "custom.chatbot-lead";
/** A lead without marketing consent: kept for its request (a call back, a quote), never for marketing. */
export const CHATBOT_REQUEST_LABEL_NAME = "Chatbot Request";
export const CHATBOT_REQUEST_LABEL_KEY = "custom.chatbot-request";

const PhoneItem = z.looseObject({ phone: z.nullish(z.string()), tag: z.nullish(z.string()), countryCode: z.nullish(z.string()), primary: z.nullish(z.boolean()) });
export const WixContact = z.looseObject({
  id: z.string(),
  revision: z.coerce.number().check(z.int()),
  primaryInfo: z.nullish(z.looseObject({ email: z.nullish(z.string()), phone: z.nullish(z.string()) })),
  info: z.nullish(
    z.looseObject({
      name: z.nullish(z.looseObject({ first: z.nullish(z.string()), last: z.nullish(z.string()) })),
      phones: z.nullish(z.looseObject({ items: z.nullish(z.array(PhoneItem)) })),
      labelKeys: z.nullish(z.looseObject({ items: z.nullish(z.array(z.string())) })),
    }),
  ),
});
export type WixContact = z.infer<typeof WixContact>;

const QueryResponse = z.looseObject({ contacts: z._default(z.array(WixContact), []) });
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
  // One of the two chatbot labels at a time: a withdrawn consent takes the marketing one away.
  const other = labelKey === CHATBOT_LABEL_KEY ? CHATBOT_REQUEST_LABEL_KEY : labelKey === CHATBOT_REQUEST_LABEL_KEY ? CHATBOT_LABEL_KEY : null;
  if (labelKey && (!labels.includes(labelKey) || (other && labels.includes(other)))) {
    info.labelKeys = { items: [...labels.filter((l) => l !== other && l !== labelKey), labelKey] };
  }
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

/** What happened to one contact on an erasure request. */
export type ContactDeletion =
  | { id: string; status: "deleted" | "already_gone" }
  /** Wix refused (428: the contact is a site member, a Wix user, or has an active billing subscription). */
  | { id: string; status: "refused"; reason: string };

export interface WixContacts {
  upsertContact(input: ContactInput): Promise<ContactResult>;
  /**
   * Deletes the contacts with these ids and those found by these emails (GDPR erasure):
   * `DELETE /contacts/v4/contacts/{id}`. Throws UpstreamError / BreakerOpenError on an outage.
   */
  deleteContacts(who: { ids: string[]; emails: string[] }): Promise<ContactDeletion[]>;
}

export function createWixContacts(client: WixClient, log: Logger): WixContacts {
  const labelKeys = new Map<string, Promise<string | null>>();

  const parse = <T>(schema: z.ZodMiniType<T>, what: string, data: unknown): T => {
    const r = schema.safeParse(data);
    if (!r.success) throw invalidWixResponse(what, r.error.message);
    return r.data;
  };

  /** Find-or-create of the label; a refusal (permissions) is logged and the contact goes without it. */
  const ensureLabel = (marketing: boolean | undefined): Promise<string | null> => {
    const displayName = marketing === false ? CHATBOT_REQUEST_LABEL_NAME : CHATBOT_LABEL_NAME;
    let key = labelKeys.get(displayName);
    if (!key) {
      key = client
        .site({ method: "POST", path: "/contacts/v4/labels", json: { displayName }, idempotent: true })
        .then((data) => parse(LabelResponse, "label", data).label.key)
        .catch((err: unknown) => {
          labelKeys.delete(displayName);
          if (isUnavailable(err)) throw err;
          log.warn("wix label could not be created; contact saved without it", { error: (err as Error).message });
          return null;
        });
      labelKeys.set(displayName, key);
    }
    return key;
  };

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
    const label = await ensureLabel(w.marketing);
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

  const remove = async (id: string): Promise<ContactDeletion> => {
    try {
      await client.site({ method: "DELETE", path: `/contacts/v4/contacts/${encodeURIComponent(id)}` });
      return { id, status: "deleted" };
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) return { id, status: "already_gone" };
      if (err instanceof UpstreamError && err.status === 428) {
        return { id, status: "refused", reason: "Wix keeps site members, Wix users and contacts with an active subscription: delete the member or cancel the subscription in Wix first" };
      }
      throw err;
    }
  };

  return {
    async deleteContacts({ ids, emails }) {
      const all = new Set(ids);
      for (const email of emails) {
        const found = await findByEmail(email);
        if (found) all.add(found.id);
      }
      const out: ContactDeletion[] = [];
      for (const id of all) out.push(await remove(id));
      return out;
    },
    async upsertContact(input) {
      const w = normaliseContact(input);
      const existing = await findByEmail(w.email);
      if (existing) return update(existing, w);
      const label = await ensureLabel(w.marketing);
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
