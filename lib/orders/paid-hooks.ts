/**
 * The follow-ups of a paid order, in order, built in one place: the owner's notification, the
 * shopper's email confirmation, and the message in the conversation the checkout came from.
 * Only the Stripe webhook (lib/checkout/webhook.ts) and the cron job use this list; the hook
 * modules import PaidOrder from ./paid-order.ts, never each other.
 */
import { ownerNotificationHook, retryOrderFollowUps as retryWith, shopperEmailHook } from "../checkout/order-paid.js";
import type { Services } from "../services.js";
import type { OrderPaidHook } from "./paid-order.js";

/** WhatsApp / Messenger: tell the shopper in the conversation the checkout came from. */
export const channelMessageHook: OrderPaidHook = {
  name: "channel_message",
  // Imported when an order is paid: the webhook route stays light.
  run: async (services, o) => void (await (await import("../channels/order-paid.js")).sendOrderPaid(services, o)),
};

/** The follow-ups of a paid order, in order. */
export const orderPaidHooks: OrderPaidHook[] = [ownerNotificationHook, shopperEmailHook, channelMessageHook];

/** Cron: runs the paid-order follow-ups whose lease ended (crashed or failed runs). Bounded per call. */
export function retryOrderFollowUps(services: Services, hooks: readonly OrderPaidHook[] = orderPaidHooks, limit?: number) {
  return retryWith(services, hooks, limit);
}
