/**
 * lib/notifications — the owner's notifications (new lead, new quote, handoff, paid order, ...)
 * by email and WhatsApp, each sent once per (dedupKey, channel) per TTL however many instances,
 * retries and duplicates ask:
 *
 *   notify.ts    notify(): claim in SQL, send the claimed channels, record the outcome
 *   deliver.ts   one claimed notification on one channel (email or the owner's WhatsApp)
 *   whatsapp.ts  the owner's WhatsApp alert through the WhatsApp channel's sender
 *   store.ts     typed calls to the notification SQL functions
 *   retry.ts     the cron step that retries failed and interrupted sends
 *
 * What each notification says lives next to its domain: lib/leads/notify.ts (notifyNewLead),
 * lib/checkout/quote-notify.ts (notifyNewQuote), lib/checkout/order-paid.ts, lib/assistant/handoff.ts.
 */
export { notify, sendLeaseSeconds, type NotifyInput, type NotifyResult, type NotifyStatus } from "./notify.js";
export { OUTBOX_PLACEHOLDER_RECIPIENT } from "./deliver.js";
export type { NotificationChannel } from "./store.js";
