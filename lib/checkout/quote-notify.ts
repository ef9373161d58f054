/**
 * "New quote" to the owner (the original notifyNewQuote), through the owner notifications of
 * lib/notifications: email and WhatsApp, once per quote id per NOTIFY_DEDUP_TTL_SECONDS.
 */
import { notify, type NotifyResult } from "../notifications/index.js";
import type { Services } from "../services.js";

export interface QuoteNotice {
  id: string;
  customerName?: string | null;
  customerEmail?: string | null;
  customerPhone?: string | null;
  items?: { name: string; quantity: number; price?: string | null }[];
  /** Exact decimal string, e.g. "149.90". */
  total?: string | null;
  currency?: string | null;
  /** Where the customer pays (checkout link), when known. */
  url?: string | null;
  expiresAt?: string | null;
  note?: string | null;
}

const QUOTE_TEXT = {
  fr: { subject: "Nouveau devis", body: "Un devis a été créé.", id: "Devis", name: "Client", email: "Email", phone: "Téléphone", items: "Articles", total: "Total", url: "Lien", expires: "Expire le", note: "Note" },
  en: { subject: "New quote", body: "A quote was created.", id: "Quote", name: "Customer", email: "Email", phone: "Phone", items: "Items", total: "Total", url: "Link", expires: "Expires", note: "Note" },
} as const;

/** "New quote" to the owner (the original notifyNewQuote), once per quote id per TTL. */
export function notifyNewQuote(services: Services, quote: QuoteNotice): Promise<NotifyResult[]> {
  const lang = services.config.app.defaultLanguage;
  const t = QUOTE_TEXT[lang];
  const items = (quote.items ?? []).map((i) => `${i.quantity} × ${i.name}${i.price ? ` (${i.price}${quote.currency ? ` ${quote.currency}` : ""})` : ""}`).join("\n");
  const total = quote.total ? `${quote.total}${quote.currency ? ` ${quote.currency.toUpperCase()}` : ""}` : "";
  return notify(services, {
    type: "quote",
    dedupKey: `quote:${quote.id}`,
    subject: `${t.subject}${lang === "fr" ? " : " : ": "}${quote.id}${total ? ` (${total})` : ""}`,
    message: t.body,
    fields: {
      [t.id]: quote.id,
      [t.name]: quote.customerName ?? "",
      [t.email]: quote.customerEmail ?? "",
      [t.phone]: quote.customerPhone ?? "",
      [t.items]: items,
      [t.total]: total,
      [t.url]: quote.url ?? "",
      [t.expires]: quote.expiresAt ?? "",
      [t.note]: quote.note ?? "",
    },
    ...(quote.customerEmail ? { replyTo: quote.customerEmail } : {}),
  });
}
