/**
 * Order status in chat: an order number (and the buyer's email, or the channel identity that
 * placed it) -> status, payment, fulfilment and tracking. Wix orders come from Wix (Search
 * Orders by number, then the order's fulfilments); demo-shop and Stripe orders from SQL.
 *
 * Never reveals an order unless the email matches the buyer's, or the conversation asking is
 * the one (same channel and user) that placed it. Without an email and without that identity
 * the answer is "needs_email" whether the order exists or not; a wrong email answers exactly
 * like an unknown number ("not_found"), so nothing tells a stranger an order exists.
 */
import { isUnavailable } from "../http/index.js";
import { getWixClient } from "../integrations/wix/client.js";
import { searchWixOrders, wixOrderTracking, type Tracking, type WixOrder } from "../integrations/wix/ecom-orders.js";
import { fromMinorUnits } from "../money/index.js";
import type { Services } from "../services.js";
import { normaliseEmail } from "../shop/contact.js";

export interface OrderStatusQuery {
  orderNumber: string;
  email?: string | null;
  /** The conversation asking (its channel and user), for "the identity that placed it". */
  identity?: { channel: string; userKey: string } | null;
}

export interface OrderStatusView {
  number: string;
  source: "wix" | "shop";
  /** Wix: APPROVED, CANCELED, ...; shop: pending, paid, expired, ... */
  status: string;
  /** PAID, NOT_PAID, PENDING, FULLY_REFUNDED, ... */
  payment: string;
  /** FULFILLED, NOT_FULFILLED, PARTIALLY_FULFILLED; null when the shop does not track it here. */
  fulfillment: string | null;
  tracking: Tracking[];
  total: string | null;
  currency: string | null;
  items: { name: string; quantity: number }[];
  placedAt: string | null;
}

export type OrderStatusAnswer =
  | { status: "found"; order: OrderStatusView }
  | { status: "needs_email" }
  | { status: "not_found" }
  | { status: "unavailable" };

/** "#1042", "n° 1042", "commande 1042" -> "1042"; null when it holds no order number. */
export function normaliseOrderNumber(raw: string): string | null {
  const digits = (raw ?? "").replace(/[^0-9]/g, "");
  return digits.length >= 1 && digits.length <= 18 ? digits.replace(/^0+(?=\d)/, "") : null;
}

interface LocalOrder {
  number: string; status: string; provider: string; email: string | null; currency: string; amountTotal: number;
  items: { name: string; quantity: number }[]; createdAt: string; paidAt: string | null; channel: string | null; userKey: string | null;
  wixOrderId: string | null; wixOrderNumber: string | null;
}
interface Identity { email: string | null; channel: string | null; userKey: string | null }

const sameEmail = (a: string | null | undefined, b: string | null | undefined) => {
  const x = a ? normaliseEmail(a) : null;
  const y = b ? normaliseEmail(b) : null;
  return !!x && !!y && x === y;
};
const sameIdentity = (q: OrderStatusQuery, who: { channel: string | null; userKey: string | null } | null) =>
  !!q.identity && !!who?.channel && who.channel === q.identity.channel && who.userKey === q.identity.userKey;

const LOCAL_PAYMENT: Record<string, string> = { paid: "PAID", review: "PENDING", processing: "PENDING", pending: "NOT_PAID", expired: "NOT_PAID", failed: "NOT_PAID", creating: "NOT_PAID" };

export async function findOrderStatus(services: Services, q: OrderStatusQuery): Promise<OrderStatusAnswer> {
  const number = normaliseOrderNumber(q.orderNumber);
  const email = q.email?.trim() || null;
  const refuse = (): OrderStatusAnswer => (email ? { status: "not_found" } : { status: "needs_email" });
  if (!number) return refuse();

  if (services.config.wix.configured) {
    const client = getWixClient(services);
    let order: WixOrder | undefined;
    try {
      order = (await searchWixOrders(client, "number", number))[0];
    } catch (err) {
      if (isUnavailable(err)) return { status: "unavailable" };
      throw err;
    }
    if (order) {
      let allowed = sameEmail(email, order.buyerInfo?.email);
      if (!allowed && q.identity) {
        const who = await services.store.rpc<Identity | null>("order_identity_for_wix", {
          p_checkout_id: order.checkoutId ?? undefined,
          p_payment_id: order.channelInfo?.externalOrderId ?? undefined,
        });
        allowed = sameIdentity(q, who);
      }
      if (!allowed) return refuse();
      let tracking: Tracking[] = [];
      try {
        tracking = await wixOrderTracking(client, order.id);
      } catch (err) {
        if (!isUnavailable(err)) throw err;
        services.log.warn("wix fulfilments unavailable; order status without tracking", { orderId: order.id });
      }
      return {
        status: "found",
        order: {
          number: order.number ?? number,
          source: "wix",
          status: order.status ?? "UNKNOWN",
          payment: order.paymentStatus ?? "UNKNOWN",
          fulfillment: order.fulfillmentStatus ?? null,
          tracking,
          total: order.priceSummary?.total?.amount ?? null,
          currency: order.currency ?? null,
          items: (order.lineItems ?? []).map((l) => ({ name: l.productName?.original ?? "", quantity: l.quantity ?? 1 })),
          placedAt: order.createdDate ?? null,
        },
      };
    }
  }

  const local = await services.store.rpc<LocalOrder | null>("order_status_by_number", { p_number: number });
  if (!local || !(sameEmail(email, local.email) || sameIdentity(q, local))) return refuse();
  const total = local.amountTotal;
  return {
    status: "found",
    order: {
      number: local.number,
      source: "shop",
      status: local.status,
      payment: LOCAL_PAYMENT[local.status] ?? "UNKNOWN",
      fulfillment: null,
      tracking: [],
      total: fromMinorUnits(total, local.currency),
      currency: local.currency.toUpperCase(),
      items: local.items,
      placedAt: local.createdAt,
    },
  };
}
