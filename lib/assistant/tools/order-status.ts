/**
 * order_status: "where is my order 1042?" -> status, payment, fulfilment and tracking link
 * through findOrderStatus (lib/orders/status.ts), which reveals an order only to its buyer's
 * email or to the conversation (channel + user) that placed it. The email must be one the
 * shopper typed in this conversation; otherwise the result asks for it. A wrong pairing reads
 * exactly like an unknown number.
 */
import { findOrderStatus, type OrderStatusAnswer } from "../../orders/status.js";
import { addLink, addNote, type TurnContext } from "../context.js";
import { shopperGaveEmail } from "./lead.js";
import type { OrderStatusInput } from "./schemas.js";

const TEXT = {
  fr: {
    payment: { PAID: "payée", NOT_PAID: "non payée", PENDING: "paiement en cours", PARTIALLY_PAID: "partiellement payée", FULLY_REFUNDED: "remboursée", PARTIALLY_REFUNDED: "partiellement remboursée" } as Record<string, string>,
    fulfillment: { FULFILLED: "expédiée", NOT_FULFILLED: "en préparation", PARTIALLY_FULFILLED: "partiellement expédiée" } as Record<string, string>,
    found: (n: string, pay: string, ful: string | null) => `Commande ${n} : ${pay}${ful ? `, ${ful}` : ""}.`,
    tracking: (carrier: string | null, number: string | null) => `Suivi${carrier ? ` ${carrier}` : ""}${number ? ` : ${number}` : ""}.`,
    track: "Suivre le colis",
    needsEmail: "Pour vous donner le statut de cette commande, pouvez-vous m'indiquer l'adresse email utilisée pour la commande ?",
    notFound: "Je ne trouve pas de commande avec ce numéro et cette adresse email. Vérifiez le numéro (il figure dans l'email de confirmation) et l'adresse utilisée.",
    unavailable: "Le suivi des commandes est brièvement indisponible. Réessayez dans quelques minutes.",
  },
  en: {
    payment: { PAID: "paid", NOT_PAID: "not paid", PENDING: "payment pending", PARTIALLY_PAID: "partly paid", FULLY_REFUNDED: "refunded", PARTIALLY_REFUNDED: "partly refunded" } as Record<string, string>,
    fulfillment: { FULFILLED: "shipped", NOT_FULFILLED: "being prepared", PARTIALLY_FULFILLED: "partly shipped" } as Record<string, string>,
    found: (n: string, pay: string, ful: string | null) => `Order ${n}: ${pay}${ful ? `, ${ful}` : ""}.`,
    tracking: (carrier: string | null, number: string | null) => `Tracking${carrier ? ` ${carrier}` : ""}${number ? `: ${number}` : ""}.`,
    track: "Track the parcel",
    needsEmail: "To give you the status of this order, could you tell me the email address used for the order?",
    notFound: "I can't find an order with this number and email address. Please check the number (it is in the confirmation email) and the address used.",
    unavailable: "Order tracking is briefly unavailable. Please try again in a few minutes.",
  },
} as const;

export async function orderStatusTool(ctx: TurnContext, input: OrderStatusInput): Promise<OrderStatusAnswer> {
  const t = TEXT[ctx.lang];
  const email = [input.email, ctx.draft.leadEmail, ctx.contactEmail].find((e): e is string => !!e && shopperGaveEmail(ctx, e)) ?? null;
  let answer: OrderStatusAnswer;
  try {
    answer = await findOrderStatus(ctx.services, { orderNumber: input.orderNumber, email, identity: { channel: ctx.channel, userKey: ctx.userKey } });
  } catch (err) {
    if ((err as Error)?.name === "StoreError") answer = { status: "unavailable" };
    else throw err;
  }
  ctx.draft.tools.push({ name: "order_status", status: answer.status });
  switch (answer.status) {
    case "found": {
      const o = answer.order;
      const pay = t.payment[o.payment] ?? o.payment.toLowerCase();
      const ful = o.fulfillment ? (t.fulfillment[o.fulfillment] ?? o.fulfillment.toLowerCase()) : null;
      addNote(ctx.draft, t.found(o.number, pay, ful));
      for (const tr of o.tracking) {
        if (tr.number || tr.carrier) addNote(ctx.draft, t.tracking(tr.carrier, tr.number));
        if (tr.link) addLink(ctx.draft, { title: t.track, url: tr.link, kind: "info" });
      }
      break;
    }
    case "needs_email":
      addNote(ctx.draft, t.needsEmail);
      break;
    case "not_found":
      addNote(ctx.draft, t.notFound);
      break;
    case "unavailable":
      addNote(ctx.draft, t.unavailable);
      break;
  }
  return answer;
}
