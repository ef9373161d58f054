/**
 * A Stripe-paid order of a Wix shop is recorded in Wix exactly once, so the owner sees every
 * order in the Wix dashboard (and stock, fulfilment and Wix's emails follow): Create Order with
 * `channelInfo` OTHER_PLATFORM and the Stripe payment id as `externalOrderId`, then Add
 * Payments (records, charges nothing).
 *
 * Exactly once: a row per order in SQL (app_wix_order_sync), taken with a lease; 'created'
 * keeps the Wix order id between the two calls, so a retry never creates a second order; a
 * retry after an attempt that may have created the order unseen (its answer lost) first
 * searches Wix by externalOrderId, and one that may have added the payment unseen first reads
 * the order's paymentStatus. Neither Wix call is retried inline. Failures wait
 * WIX_RECORD_RETRY_SECONDS for the cron job (`retryWixOrderRecords`, lib/cron/jobs.ts).
 */
import { fromMinorUnits } from "../money/index.js";
import type { OrderRow } from "../checkout/store.js";
import { getWixClient, type WixClient } from "../integrations/wix/client.js";
import { addWixPayment, createWixOrder, getWixOrder, searchWixOrders, type ExternalOrder } from "../integrations/wix/ecom-orders.js";
import type { Services } from "../services.js";

export const WIX_RECORD_LEASE_SECONDS = 120;
export const WIX_RECORD_RETRY_SECONDS = 600;
export const WIX_RECORD_MAX_ATTEMPTS = 10;

interface SyncClaim {
  token: string;
  state: "pending" | "created";
  wixOrderId: string | null;
  wixOrderNumber: string | null;
  attempts: number;
  order: OrderRow;
}

/** The order as Wix's "record an external order" wants it. */
export function externalOrderOf(o: OrderRow): ExternalOrder {
  const cur = o.currency;
  const subtotal = o.items.reduce((sum, i) => sum + i.unitAmount * i.quantity, 0);
  return {
    lines: o.items.map((i) => ({
      name: i.name,
      quantity: i.quantity,
      price: fromMinorUnits(i.unitAmount, cur),
      ...(i.productId ? { productId: i.productId } : {}),
      ...(i.variantId ? { variantId: i.variantId } : {}),
      ...(i.choices ? { choices: i.choices } : {}),
      ...(i.byChoice ? { byChoice: true } : {}),
    })),
    currency: cur,
    subtotal: fromMinorUnits(subtotal, cur),
    discount: fromMinorUnits(o.discountAmount ?? 0, cur),
    total: fromMinorUnits(o.paidAmount ?? o.amountTotal, cur),
    externalOrderId: o.paymentId ?? o.sessionId ?? o.id,
    email: o.email,
  };
}

function step(services: Services, orderId: string, token: string, state: string, extra: { wixOrderId?: string; wixOrderNumber?: string | null; error?: string } = {}) {
  return services.store.rpc<boolean>("wix_order_sync_step", {
    p_order_id: orderId,
    p_token: token,
    p_state: state,
    p_wix_order_id: extra.wixOrderId,
    p_wix_order_number: extra.wixOrderNumber ?? undefined,
    p_error: extra.error,
    p_retry_seconds: WIX_RECORD_RETRY_SECONDS,
  });
}

async function runOne(services: Services, client: WixClient, c: SyncClaim): Promise<boolean> {
  const o = c.order;
  const ext = externalOrderOf(o);
  let wixOrderId = c.wixOrderId;
  let state = c.state;
  try {
    if (state === "pending") {
      // An earlier attempt may have created it before failing to hear back: look first.
      if (c.attempts > 1) {
        const found = (await searchWixOrders(client, "channelInfo.externalOrderId", ext.externalOrderId))[0];
        if (found) wixOrderId = found.id;
      }
      let number: string | null = null;
      if (!wixOrderId) {
        const created = await createWixOrder(client, ext);
        wixOrderId = created.id;
        number = created.number;
      }
      await step(services, o.id, c.token, "created", { wixOrderId, wixOrderNumber: number });
      state = "created";
    }
    // An earlier attempt may have added the payment before failing to hear back.
    const paidAlready = c.state === "created" && c.attempts > 1 && (await getWixOrder(client, wixOrderId!)).paymentStatus === "PAID";
    if (!paidAlready) await addWixPayment(client, wixOrderId!, ext.total, ext.externalOrderId);
    await step(services, o.id, c.token, "done");
    return true;
  } catch (err) {
    const error = (err as Error)?.message ?? String(err);
    services.log.warn("wix order not recorded yet; retried later", { orderId: o.id, state, error });
    const final = c.attempts >= WIX_RECORD_MAX_ATTEMPTS;
    await step(services, o.id, c.token, final ? "failed" : state, { ...(wixOrderId ? { wixOrderId } : {}), error }).catch((e: Error) =>
      services.log.error("wix order sync state not recorded", { orderId: o.id, error: e.message }),
    );
    return false;
  }
}

/**
 * Records one paid order (the paid-order hook: enqueues it, then tries once) or, without an
 * order id, the due ones (the cron). Never throws for a Wix failure: the row keeps it for the
 * retry. Does nothing when Wix is not configured.
 */
export async function recordOrdersInWix(services: Services, orderId?: string, limit = 20): Promise<{ claimed: number; done: number; failed: number }> {
  if (!services.config.wix.configured) return { claimed: 0, done: 0, failed: 0 };
  const claims = await services.store.rpc<SyncClaim[]>("wix_order_sync_claim", {
    p_order_id: orderId,
    p_limit: limit,
    p_lease_seconds: WIX_RECORD_LEASE_SECONDS,
    p_max_attempts: WIX_RECORD_MAX_ATTEMPTS,
  });
  const client = claims.length ? getWixClient(services) : null;
  let done = 0;
  for (const c of claims) if (await runOne(services, client!, c)) done++;
  return { claimed: claims.length, done, failed: claims.length - done };
}

/** The cron job: retries the orders whose recording failed or was interrupted. */
export const retryWixOrderRecords = (services: Services) => recordOrdersInWix(services);

/** The paid-order hook: a Stripe-paid order of a Wix shop goes to Wix. */
export const wixOrderHook = {
  name: "wix_order",
  async run(services: Services, order: { orderId: string; status: string }): Promise<void> {
    if (order.status !== "paid") return; // a payment to check ("review") is the owner's call
    await recordOrdersInWix(services, order.orderId);
  },
};
