/**
 * Wix eCommerce checkouts (FACTS §3b): Create Checkout `POST /ecom/v1/checkouts` with catalog
 * references (the Stores app id, the product, the variant) and the coupon code, then Get
 * Checkout URL `GET /ecom/v1/checkouts/{id}/checkout-url` for Wix's hosted page. Works with a
 * site API key (pattern A). Whether the coupon held is read from the answer: an
 * `appliedDiscounts[].coupon` with our code, and no `calculationErrors.couponCalculationError`.
 */
import * as z from "zod/mini";
import { UpstreamError } from "../../http/index.js";
import { invalidWixResponse, wixPath, type WixClient } from "./client.js";

/** Wix Stores' app id: what `catalogReference.appId` names for catalogue products (H). */
export const WIX_STORES_APP_ID = "215238eb-22a5-4c36-9e7b-e7c08025e04e";
export const WIX_CHECKOUTS_PATH = "/ecom/v1/checkouts";
/** Wix takes at most 300 line items per checkout. */
export const WIX_MAX_CHECKOUT_LINES = 300;

export interface WixCatalogLine {
  productId: string;
  quantity: number;
  variantId?: string | null;
  choices?: Record<string, string>;
  /** V1 options not managed as variants: name the values, not the id. */
  byChoice?: boolean;
}

/**
 * `catalogReference` of a line: V3 and V1 managed variants by `options.variantId`; V1 options
 * without managed variants by `options.options` (the chosen values); no options: none.
 */
export function catalogReference(line: WixCatalogLine): Record<string, unknown> {
  const options =
    line.byChoice && line.choices && Object.keys(line.choices).length
      ? { options: { ...line.choices } }
      : line.variantId
        ? { variantId: line.variantId }
        : null;
  return { catalogItemId: line.productId, appId: WIX_STORES_APP_ID, ...(options ? { options } : {}) };
}

export function createCheckoutBody(input: { lines: WixCatalogLine[]; couponCode?: string | null; email?: string | null }) {
  return {
    channelType: "WEB",
    lineItems: input.lines.map((l) => ({ quantity: l.quantity, catalogReference: catalogReference(l) })),
    ...(input.couponCode ? { couponCode: input.couponCode } : {}),
    ...(input.email ? { checkoutInfo: { buyerInfo: { email: input.email } } } : {}),
  };
}

const Money = z.looseObject({ amount: z.nullish(z.string()) });
const CheckoutResponse = z.looseObject({
  checkout: z.looseObject({
    id: z.string(),
    appliedDiscounts: z.nullish(
      z.array(z.looseObject({ coupon: z.nullish(z.looseObject({ id: z.nullish(z.string()), code: z.nullish(z.string()), amount: z.nullish(Money) })) })),
    ),
    calculationErrors: z.nullish(z.looseObject({ couponCalculationError: z.nullish(z.unknown()) })),
    priceSummary: z.nullish(z.looseObject({ subtotal: z.nullish(Money), discount: z.nullish(Money), total: z.nullish(Money) })),
  }),
});
const UrlResponse = z.looseObject({ checkoutUrl: z.string().check(z.regex(/^https?:\/\//i)) });

/** The first human-readable text of a Wix error object (description, message or code). */
function errorText(e: unknown): string {
  if (!e || typeof e !== "object") return typeof e === "string" ? e : "refused";
  const o = e as Record<string, unknown>;
  for (const k of ["description", "message", "code"]) if (typeof o[k] === "string" && o[k]) return o[k] as string;
  for (const v of Object.values(o)) {
    const inner = errorText(v);
    if (inner !== "refused") return inner;
  }
  return "refused";
}

export interface WixCheckoutCreated {
  checkoutId: string;
  /** null when no code was sent. */
  coupon: null | { code: string; applied: true; discount: string | null } | { code: string; applied: false; message: string };
  total: string | null;
}

/**
 * Creates the checkout. A code Wix refuses outright (a 4xx naming the coupon) is dropped and the
 * checkout created without it, so the shopper still gets a link; outages throw.
 */
export async function createWixCheckout(
  client: WixClient,
  input: { lines: WixCatalogLine[]; couponCode?: string | null; email?: string | null },
): Promise<WixCheckoutCreated> {
  if (input.lines.length < 1 || input.lines.length > WIX_MAX_CHECKOUT_LINES) throw new RangeError(`a Wix checkout takes 1 to ${WIX_MAX_CHECKOUT_LINES} lines`);
  const post = (couponCode: string | null | undefined) =>
    // A retried create can at worst leave an unused checkout behind (no charge, no order).
    client.site({ method: "POST", path: WIX_CHECKOUTS_PATH, json: createCheckoutBody({ ...input, couponCode }), idempotent: true });

  let data: unknown;
  let refusedAtCreation: string | null = null;
  try {
    data = await post(input.couponCode);
  } catch (err) {
    const coupon = input.couponCode;
    const isCouponRefusal = coupon && err instanceof UpstreamError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429 && /coupon/i.test(`${err.code ?? ""} ${err.message} ${JSON.stringify(err.body ?? "")}`);
    if (!isCouponRefusal) throw err;
    refusedAtCreation = errorText((err as UpstreamError).body);
    data = await post(null);
  }
  const r = CheckoutResponse.safeParse(data);
  if (!r.success) throw invalidWixResponse("checkout create", r.error.message);
  const c = r.data.checkout;
  const code = input.couponCode ?? null;
  let coupon: WixCheckoutCreated["coupon"] = null;
  if (code) {
    const mine = (c.appliedDiscounts ?? []).find((d) => d.coupon?.code && d.coupon.code.toLowerCase() === code.toLowerCase());
    const error = c.calculationErrors?.couponCalculationError;
    if (refusedAtCreation !== null) coupon = { code, applied: false, message: refusedAtCreation };
    else if (mine && !error) coupon = { code, applied: true, discount: mine.coupon?.amount?.amount ?? c.priceSummary?.discount?.amount ?? null };
    else coupon = { code, applied: false, message: error ? errorText(error) : "not applied" };
  }
  return { checkoutId: c.id, coupon, total: c.priceSummary?.total?.amount ?? null };
}

/** The hosted checkout page of a checkout. */
export async function wixCheckoutUrl(client: WixClient, checkoutId: string): Promise<string> {
  const data = await client.site({ method: "GET", path: wixPath`/ecom/v1/checkouts/${checkoutId}/checkout-url` });
  const r = UrlResponse.safeParse(data);
  if (!r.success) throw invalidWixResponse("checkout url", r.error.message);
  return r.data.checkoutUrl;
}
