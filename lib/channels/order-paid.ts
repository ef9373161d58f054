/**
 * The shopper's confirmation on WhatsApp or Messenger when an order from that channel is paid:
 * an order-paid follow-up hook (lib/orders/paid-hooks.ts). Idempotent per order (the ledger
 * key is `order-paid:<orderId>`), so the checkout's retry of a failed hook never sends twice;
 * a failed send is retried by the channels' cron step. Outside the 24 h window: the WhatsApp
 * template when configured, else recorded undeliverable.
 */
import type { PaidOrder } from "../orders/paid-order.js";
import { formatPrice, fromMinorUnits } from "../money/index.js";
import type { Services } from "../services.js";
import { sendToUser, type DeliveryReport } from "./outbound.js";
import { ledgerChannel } from "./registry.js";
import { channelTexts } from "./texts.js";

export async function sendOrderPaid(services: Services, order: PaidOrder): Promise<DeliveryReport | null> {
  if (order.status !== "paid" || !order.conversationId) return null;
  const channel = ledgerChannel(order.channel);
  if (!channel) return null;
  // Conversation ids are UUIDs; an order made outside a conversation carries something else.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(order.conversationId)) return null;
  const conversation = await services.store.rpc<{ channel: string; user_key: string; language: string | null } | null>("chat_conversation_get", {
    p_conversation_id: order.conversationId,
  });
  if (!conversation || conversation.channel !== channel) return null;
  const lang = conversation.language === "en" || conversation.language === "fr" ? conversation.language : services.config.app.defaultLanguage;
  const text = channelTexts(lang).orderPaid(formatPrice(fromMinorUnits(order.amountTotal, order.currency), order.currency.toUpperCase(), lang), order.orderId.slice(0, 8).toUpperCase());
  return sendToUser(services, {
    channel,
    userId: conversation.user_key,
    key: `order-paid:${order.orderId}`,
    lang,
    reply: { text, products: [], buttons: [], links: [], handoff: false },
  });
}
