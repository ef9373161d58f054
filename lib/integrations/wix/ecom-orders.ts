/**
 * Wix eCommerce orders (FACTS §3b): record an order paid elsewhere (Create Order with
 * `channelInfo` OTHER_PLATFORM, then Add Payments, which records and charges nothing), find
 * orders (Search Orders by number or by externalOrderId), and their fulfilments (tracking).
 * Create Order and Add Payments are never retried inline: a lost answer would duplicate them.
 * The caller (lib/orders/wix-record.ts) makes them exactly-once with state in SQL.
 */
import * as z from "zod/mini";
import { invalidWixResponse, wixPath, type WixClient } from "./client.js";
import { catalogReference, type WixCatalogLine } from "./ecom-checkout.js";

export const WIX_ORDERS_PATH = "/ecom/v1/orders";
export const WIX_ORDERS_SEARCH_PATH = "/ecom/v1/orders/search";

export interface ExternalOrderLine extends Partial<WixCatalogLine> {
  name: string;
  quantity: number;
  /** Exact decimal unit price. */
  price: string;
}

export interface ExternalOrder {
  lines: ExternalOrderLine[];
  currency: string;
  subtotal: string;
  discount: string;
  total: string;
  /** The Stripe payment id: `channelInfo.externalOrderId` and the payment's providerTransactionId. */
  externalOrderId: string;
  email?: string | null;
}

export function createOrderBody(o: ExternalOrder) {
  return {
    order: {
      lineItems: o.lines.map((l) => ({
        quantity: l.quantity,
        ...(l.productId ? { catalogReference: catalogReference({ productId: l.productId, quantity: l.quantity, variantId: l.variantId ?? null, ...(l.choices ? { choices: l.choices } : {}), ...(l.byChoice ? { byChoice: true } : {}) }) } : {}),
        productName: { original: l.name },
        itemType: { preset: "PHYSICAL" },
        price: { amount: l.price },
      })),
      priceSummary: {
        subtotal: { amount: o.subtotal },
        ...(o.discount !== "0.00" && o.discount !== "0" ? { discount: { amount: o.discount } } : {}),
        total: { amount: o.total },
      },
      channelInfo: { type: "OTHER_PLATFORM", externalOrderId: o.externalOrderId },
      ...(o.email ? { buyerInfo: { email: o.email } } : {}),
      currency: o.currency.toUpperCase(),
    },
    settings: {
      orderApprovalStrategy: "DEFAULT",
      notifications: { sendNotificationToBuyer: true, sendNotificationsToBusiness: true },
    },
  };
}

export function addPaymentBody(amount: string, providerTransactionId: string) {
  return {
    payments: [
      {
        amount: { amount },
        regularPaymentDetails: { paymentMethod: "CreditCard", providerTransactionId, offlinePayment: false, status: "APPROVED" },
      },
    ],
  };
}

const Amount = z.looseObject({ amount: z.nullish(z.string()), formattedAmount: z.nullish(z.string()) });
export const WixOrder = z.looseObject({
  id: z.string(),
  number: z.pipe(
    z.nullish(z.union([z.string(), z.number()])),
    z.transform((n: string | number | null | undefined) => (n === null || n === undefined ? null : String(n))),
  ),
  status: z.nullish(z.string()),
  paymentStatus: z.nullish(z.string()),
  fulfillmentStatus: z.nullish(z.string()),
  checkoutId: z.nullish(z.string()),
  currency: z.nullish(z.string()),
  createdDate: z.nullish(z.string()),
  buyerInfo: z.nullish(z.looseObject({ email: z.nullish(z.string()) })),
  channelInfo: z.nullish(z.looseObject({ type: z.nullish(z.string()), externalOrderId: z.nullish(z.string()) })),
  priceSummary: z.nullish(z.looseObject({ total: z.nullish(Amount) })),
  lineItems: z.nullish(z.array(z.looseObject({ productName: z.nullish(z.looseObject({ original: z.nullish(z.string()) })), quantity: z.nullish(z.number()) }))),
});
export type WixOrder = z.infer<typeof WixOrder>;

const OrderResponse = z.looseObject({ order: WixOrder });
const SearchResponse = z.looseObject({ orders: z._default(z.array(WixOrder), []) });
const FulfillmentsResponse = z.looseObject({
  orderWithFulfillments: z.nullish(
    z.looseObject({
      fulfillments: z._default(
        z.array(
          z.looseObject({
            status: z.nullish(z.string()),
            trackingInfo: z.nullish(z.looseObject({ trackingNumber: z.nullish(z.string()), shippingProvider: z.nullish(z.string()), trackingLink: z.nullish(z.string()) })),
          }),
        ),
        [],
      ),
    }),
  ),
});

export interface Tracking { number: string | null; carrier: string | null; link: string | null; status: string | null }

function parse<T>(schema: z.ZodMiniType<T>, what: string, data: unknown): T {
  const r = schema.safeParse(data);
  if (!r.success) throw invalidWixResponse(what, r.error.message);
  return r.data;
}

export async function createWixOrder(client: WixClient, order: ExternalOrder): Promise<WixOrder> {
  const data = await client.site({ method: "POST", path: WIX_ORDERS_PATH, json: createOrderBody(order) });
  return parse(OrderResponse, "order create", data).order;
}

export async function addWixPayment(client: WixClient, orderId: string, amount: string, providerTransactionId: string): Promise<void> {
  await client.site({ method: "POST", path: wixPath`/ecom/v1/payments/orders/${orderId}/add-payment`, json: addPaymentBody(amount, providerTransactionId) });
}

export async function getWixOrder(client: WixClient, orderId: string): Promise<WixOrder> {
  const data = await client.site({ method: "GET", path: wixPath`/ecom/v1/orders/${orderId}` });
  return parse(OrderResponse, "order get", data).order;
}

/** Search Orders with one `$eq` filter (`number`, `channelInfo.externalOrderId`, ...), newest first. */
export async function searchWixOrders(client: WixClient, field: string, value: string, limit = 1): Promise<WixOrder[]> {
  const data = await client.site({
    method: "POST",
    path: WIX_ORDERS_SEARCH_PATH,
    json: { search: { filter: { [field]: { $eq: value } }, sort: [{ fieldName: "createdDate", order: "DESC" }], cursorPaging: { limit } } },
    idempotent: true,
  });
  return parse(SearchResponse, "orders search", data).orders;
}

export async function wixOrderTracking(client: WixClient, orderId: string): Promise<Tracking[]> {
  const data = await client.site({ method: "GET", path: wixPath`/ecom/v1/fulfillments/orders/${orderId}` });
  const r = parse(FulfillmentsResponse, "fulfillments", data);
  return (r.orderWithFulfillments?.fulfillments ?? []).map((f) => ({
    number: f.trackingInfo?.trackingNumber ?? null,
    carrier: f.trackingInfo?.shippingProvider ?? null,
    link: f.trackingInfo?.trackingLink && /^https?:\/\//i.test(f.trackingInfo.trackingLink) ? f.trackingInfo.trackingLink : null,
    status: f.status ?? null,
  }));
}
