/**
 * A Wix eCommerce double for msw, in the shapes of FACTS §3b: Create Checkout (the coupon code
 * applied via `appliedDiscounts[].coupon`, or refused via `calculationErrors.couponCalculationError`),
 * Get Checkout URL, Create Order, Add Payments, Search Orders (by `number`, `channelInfo.externalOrderId`),
 * Get Order, and an order's fulfilments. Records every request (tests/shop/wix-fixtures recorder);
 * faults on demand per path.
 */
import { HttpResponse } from "msw";
import type { SetupServer } from "msw/node";
import { recorder } from "../shop/wix-fixtures.js";

export interface EcomOrder {
  id: string;
  number: string;
  status: string;
  paymentStatus: string;
  fulfillmentStatus: string;
  checkoutId?: string;
  buyerInfo?: { email?: string };
  channelInfo?: { type: string; externalOrderId?: string };
  priceSummary?: { total: { amount: string; formattedAmount?: string } };
  currency: string;
  createdDate: string;
  lineItems: { productName: { original: string }; quantity: number }[];
}

export function useWixEcomDouble(server: SetupServer) {
  const rec = recorder();
  const orders: EcomOrder[] = [];
  const payments: { orderId: string; body: unknown }[] = [];
  const fulfillments = new Map<string, unknown[]>();
  const faults = new Map<string, Response[]>();
  /** Codes Wix's checkout accepts, with the amount they take off. */
  const validCodes = new Map<string, string>();
  let n = 0;
  let number = 10000;

  const fault = (key: string) => faults.get(key)?.shift();

  const install = () =>
    server.use(
      rec.on("post", "/ecom/v1/checkouts", async (request) => {
        const f = fault("checkout");
        if (f) return f;
        const body = (await request.clone().json()) as { couponCode?: string; lineItems: unknown[] };
        const id = `chk-${++n}`;
        const code = body.couponCode;
        const off = code ? validCodes.get(code.toUpperCase()) : undefined;
        return {
          checkout: {
            id,
            lineItems: body.lineItems,
            priceSummary: { subtotal: { amount: "100.00" }, discount: { amount: off ?? "0" }, total: { amount: "100.00" } },
            ...(code && off ? { appliedDiscounts: [{ discountType: "GLOBAL", coupon: { id: `cpn-${code}`, code, name: code, amount: { amount: off } } }] } : { appliedDiscounts: [] }),
            ...(code && !off
              ? { calculationErrors: { couponCalculationError: { applicationError: { code: "ERROR_COUPON_DOES_NOT_EXIST", description: "Coupon code does not exist" } } } }
              : {}),
            completed: false,
          },
        };
      }),
      rec.on("get", "/ecom/v1/checkouts/:id/checkout-url", (request) => {
        const f = fault("url");
        if (f) return f;
        const id = new URL(request.url).pathname.split("/")[4];
        return { checkoutUrl: `https://www.maison-lumiere.fr/checkout?checkoutId=${id}` };
      }),
      rec.on("post", "/ecom/v1/orders", async (request) => {
        const f = fault("order");
        if (f) return f;
        const body = (await request.clone().json()) as { order: { channelInfo: { type: string; externalOrderId: string }; buyerInfo?: { email: string }; currency: string; priceSummary: { total: { amount: string } }; lineItems: { productName: { original: string }; quantity: number }[] } };
        const order: EcomOrder = {
          id: `ord-${++n}`,
          number: String(++number),
          status: "INITIALIZED",
          paymentStatus: "NOT_PAID",
          fulfillmentStatus: "NOT_FULFILLED",
          channelInfo: body.order.channelInfo,
          ...(body.order.buyerInfo ? { buyerInfo: body.order.buyerInfo } : {}),
          priceSummary: body.order.priceSummary,
          currency: body.order.currency,
          createdDate: new Date().toISOString(),
          lineItems: body.order.lineItems.map((l) => ({ productName: l.productName, quantity: l.quantity })),
        };
        orders.push(order);
        return { order };
      }),
      rec.on("post", "/ecom/v1/payments/orders/:id/add-payment", async (request) => {
        const f = fault("payment");
        if (f) return f;
        const orderId = new URL(request.url).pathname.split("/")[5]!;
        payments.push({ orderId, body: await request.clone().json() });
        const o = orders.find((x) => x.id === orderId);
        if (o) Object.assign(o, { paymentStatus: "PAID", status: "APPROVED" });
        return { orderTransactions: { orderId, payments: [{ id: `pay-${payments.length}` }] } };
      }),
      rec.on("post", "/ecom/v1/orders/search", async (request) => {
        const f = fault("search");
        if (f) return f;
        const body = (await request.clone().json()) as { search: { filter: Record<string, { $eq: string }> } };
        const [[field, cond]] = Object.entries(body.search.filter) as [[string, { $eq: string }]];
        const found = orders.filter((o) => o.status !== "INITIALIZED" || field === "channelInfo.externalOrderId").filter((o) =>
          field === "number" ? o.number === cond.$eq : field === "channelInfo.externalOrderId" ? o.channelInfo?.externalOrderId === cond.$eq : false,
        );
        return { orders: found, metadata: { count: found.length, hasNext: false } };
      }),
      rec.on("get", "/ecom/v1/orders/:id", (request) => {
        const id = new URL(request.url).pathname.split("/")[4];
        const o = orders.find((x) => x.id === id);
        return o ? { order: o } : HttpResponse.json({ message: "not found" }, { status: 404 });
      }),
      rec.on("get", "/ecom/v1/fulfillments/orders/:id", (request) => {
        const id = new URL(request.url).pathname.split("/")[5]!;
        return { orderWithFulfillments: { orderId: id, fulfillments: fulfillments.get(id) ?? [] } };
      }),
    );

  return {
    install,
    rec,
    orders,
    payments,
    /** Wix's checkout accepts `code` and takes `amount` off. */
    acceptCode: (code: string, amount: string) => void validCodes.set(code.toUpperCase(), amount),
    /** Answers the next calls of `key` (checkout | url | order | payment | search) with these responses. */
    fail: (key: string, ...r: Response[]) => void faults.set(key, [...(faults.get(key) ?? []), ...r]),
    /** An order placed on Wix's own checkout (as a shopper would have). */
    addOrder: (o: Partial<EcomOrder> & { number: string }) => {
      const order: EcomOrder = {
        id: `ord-${++n}`, status: "APPROVED", paymentStatus: "PAID", fulfillmentStatus: "NOT_FULFILLED", currency: "EUR",
        createdDate: "2026-11-28T10:00:00.000Z", lineItems: [{ productName: { original: "Robe portefeuille Terracotta" }, quantity: 1 }],
        priceSummary: { total: { amount: "79.90", formattedAmount: "79,90 €" } }, ...o,
      };
      orders.push(order);
      return order;
    },
    ship: (orderId: string, tracking: { trackingNumber: string; shippingProvider: string; trackingLink: string }) =>
      void fulfillments.set(orderId, [{ id: `ful-${orderId}`, lineItems: [], trackingInfo: tracking, status: "Fulfilled" }]),
  };
}
