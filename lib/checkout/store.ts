/** Typed calls to the checkout SQL functions (supabase/migrations/*_checkout.sql). */
import type { Store } from "../store/store.js";
import type { CheckoutChannel } from "./types.js";

export type OrderStatus = "creating" | "pending" | "processing" | "expired" | "failed" | "paid" | "review";

export interface OrderItem {
  productId: string | null;
  name: string;
  unitAmount: number;
  quantity: number;
  /** The chosen variant (Wix variant id or demo id) and its option values, when the product has options. */
  variantId?: string | null;
  choices?: Record<string, string>;
  /** Wix V1 options not managed as variants: Wix takes the values, not the id. */
  byChoice?: boolean;
}

export type CheckoutProviderKind = "stripe" | "wix";

/** The coupon of an order: the assistant's offer and what became of it. */
export interface OrderCoupon { offerId: string; code?: string | null; applied: boolean; reason?: string | null }

/** An order as stored (internal: includes the shopper's email). */
export interface OrderRow {
  id: string;
  status: OrderStatus;
  sessionId: string | null;
  url: string | null;
  currency: string;
  amountTotal: number;
  items: OrderItem[];
  email: string | null;
  conversationId: string | null;
  channel: CheckoutChannel | null;
  quoteId: string | null;
  anomaly: string | null;
  paidAmount: number | null;
  paidCurrency: string | null;
  history: Record<string, unknown>[];
  followupState: "none" | "pending" | "done";
  followupDone: string[];
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  provider?: CheckoutProviderKind;
  /** Minor units taken off by our own Stripe discount (0 without). */
  discountAmount?: number;
  coupon?: OrderCoupon | null;
  /** Stripe PaymentIntent id once paid. */
  paymentId?: string | null;
  /** Short human order number ("1042"). */
  number?: string | null;
}

export interface BeginResult { id: string; status: OrderStatus; sessionId: string | null; url: string | null; expiresAt: number; created: boolean; number?: string }

export function orderBegin(
  store: Store,
  a: {
    cartHash: string; bucketSeconds: number; expirySeconds: number; currency: string; amountTotal: number; items: OrderItem[];
    email?: string | undefined; conversationId?: string | undefined; channel?: CheckoutChannel | undefined; quoteId?: string | undefined;
  },
): Promise<BeginResult> {
  return store.rpc<BeginResult>("checkout_begin", beginArgs(a));
}

/** The arguments checkout_begin and checkout_begin_for share. */
function beginArgs(a: Parameters<typeof orderBegin>[1]) {
  return {
    p_cart_hash: a.cartHash,
    p_bucket_seconds: a.bucketSeconds,
    p_expiry_seconds: a.expirySeconds,
    p_currency: a.currency,
    p_amount_total: a.amountTotal,
    p_items: a.items,
    p_email: a.email,
    p_conversation_id: a.conversationId,
    p_channel: a.channel,
    p_quote_id: a.quoteId,
  };
}

/** orderBegin for a provider, with our discount and the coupon, in the same round trip. */
export function orderBeginFor(
  store: Store,
  provider: CheckoutProviderKind,
  a: Parameters<typeof orderBegin>[1] & { discountAmount?: number; coupon?: OrderCoupon | null },
): Promise<BeginResult> {
  return store.rpc<BeginResult>("checkout_begin_for", {
    p_provider: provider,
    ...beginArgs(a),
    p_discount_amount: a.discountAmount ?? 0,
    p_coupon: a.coupon ?? undefined,
  });
}

/** The Stripe payment (PaymentIntent) id of a paid session, set once. */
export function orderRecordPayment(store: Store, sessionId: string, paymentId: string): Promise<void> {
  return store.rpc<void>("checkout_record_payment", { p_session_id: sessionId, p_payment_id: paymentId });
}

export function orderAttachSession(store: Store, orderId: string, sessionId: string, url: string): Promise<OrderRow | null> {
  return store.rpc<OrderRow | null>("checkout_attach_session", { p_order_id: orderId, p_session_id: sessionId, p_url: url });
}

export function orderAbandon(store: Store, orderId: string, error: string): Promise<void> {
  return store.rpc<void>("checkout_abandon", { p_order_id: orderId, p_error: error });
}

export function orderGet(store: Store, orderId: string): Promise<OrderRow | null> {
  return store.rpc<OrderRow | null>("checkout_order_get", { p_order_id: orderId });
}

/** The shopper-facing status (no personal data). */
export interface OrderStatusView {
  sessionId: string;
  /** The short order number ("1042"). */
  number: string | null;
  status: OrderStatus;
  currency: string;
  amountTotal: number;
  items: { name: string; quantity: number }[];
  channel: CheckoutChannel | null;
  paidAt: string | null;
  expiresAt: string;
}

export function orderStatusBySession(store: Store, sessionId: string): Promise<OrderStatusView | null> {
  return store.rpc<OrderStatusView | null>("checkout_order_status", { p_session_id: sessionId });
}

export type EventTarget = "paid" | "processing" | "expired" | "failed" | "ignored";
export interface ApplyResult {
  claimed: boolean;
  found: boolean;
  changed: boolean;
  status?: OrderStatus;
  anomaly?: string | null;
  followup: boolean;
  order?: OrderRow | null;
}

export function applyStripeEvent(
  store: Store,
  a: { eventId: string; type: string; sessionId: string | null; target: EventTarget; amountTotal?: number | null; currency?: string | null; email?: string | null; leaseSeconds: number },
): Promise<ApplyResult> {
  return store.rpc<ApplyResult>("checkout_apply_event", {
    p_event_id: a.eventId,
    p_type: a.type,
    p_session_id: a.sessionId ?? undefined,
    p_target: a.target,
    p_amount_total: a.amountTotal ?? undefined,
    p_currency: a.currency ?? undefined,
    p_email: a.email ?? undefined,
    p_lease_seconds: a.leaseSeconds,
  });
}

export function followupFinish(store: Store, orderId: string, done: string[], complete: boolean, retrySeconds: number): Promise<void> {
  return store.rpc<void>("checkout_followup_finish", { p_order_id: orderId, p_done: done, p_complete: complete, p_retry_seconds: retrySeconds });
}

export function followupClaim(store: Store, limit: number, leaseSeconds: number, maxAttempts: number): Promise<OrderRow[]> {
  return store.rpc<OrderRow[]>("checkout_followup_claim", { p_limit: limit, p_lease_seconds: leaseSeconds, p_max_attempts: maxAttempts });
}

export function checkoutCleanup(store: Store, keepDays = 30): Promise<Record<string, number>> {
  return store.rpc<Record<string, number>>("checkout_cleanup", { p_keep_days: keepDays });
}

// Quotes

export interface QuoteItem { productId: string | null; name: string; unitPrice: string; unitAmount: number; quantity: number }
export interface QuoteRow {
  id: string;
  status: "open" | "paid" | "expired" | "cancelled";
  currency: string;
  amountTotal: number;
  items: QuoteItem[];
  customer: { name?: string; email?: string; phone?: string };
  note: string | null;
  conversationId: string | null;
  channel: CheckoutChannel | null;
  createdAt: string;
  expiresAt: string | null;
  paidOrderId: string | null;
  paidAt: string | null;
}

export function quoteCreate(
  store: Store,
  a: {
    id: string; currency: string; amountTotal: number; items: QuoteItem[]; customer: QuoteRow["customer"]; note?: string | undefined;
    conversationId?: string | undefined; channel?: CheckoutChannel | undefined; expiresInSeconds?: number | undefined;
  },
): Promise<QuoteRow> {
  return store.rpc<QuoteRow>("quote_create", {
    p_id: a.id,
    p_currency: a.currency,
    p_amount_total: a.amountTotal,
    p_items: a.items,
    p_customer: a.customer,
    p_note: a.note,
    p_conversation_id: a.conversationId,
    p_channel: a.channel,
    p_expires_in_seconds: a.expiresInSeconds,
  });
}

export function quoteGet(store: Store, id: string): Promise<QuoteRow | null> {
  return store.rpc<QuoteRow | null>("quote_get", { p_id: id });
}
