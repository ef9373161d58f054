/** The shopper-facing status of a checkout (GET /api/checkout?session_id=): no personal data. */
import { ApiError } from "../errors.js";
import type { Services } from "../services.js";
import { fromMinorUnits } from "../money/index.js";
import { orderStatusBySession, type OrderStatusView } from "./store.js";

export interface CheckoutStatus extends OrderStatusView {
  /** amountTotal as an exact decimal string, e.g. "59.97". */
  total: string;
}

export async function getCheckoutStatus(services: Services, sessionId: string): Promise<CheckoutStatus> {
  if (!services.config.stripe.configured) throw new ApiError("payments_not_configured", "Online payment is not configured on this shop.");
  const view = await orderStatusBySession(services.store, sessionId);
  if (!view) throw new ApiError("not_found", "No order for this checkout session.");
  return { ...view, total: fromMinorUnits(view.amountTotal, view.currency) };
}
