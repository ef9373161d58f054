/**
 * create_checkout_link: a payment link for catalogue ids, quantities and, for products with
 * options, the variant (by id, or by the shopper's choices such as {"Taille": "38"}) through
 * createCheckout (lib/checkout), which reads every price from the shop itself and picks the
 * provider (Wix's hosted checkout or Stripe). The tool prices the cart with the same code first,
 * so the shopper is told the verified total even when payment is not configured. A missing
 * choice returns `{needsChoice: {option, choices}}` so the assistant asks ("which size: 36, 38,
 * 40?"); the conversation's coupon offer is applied by the provider and the result says whether
 * it held. Limits come from the configuration; a shopper-typed email only.
 */
// The modules themselves, not lib/checkout's index: that one also carries the Stripe webhook
// and the order notifications, which a chat turn never runs.
import { createCheckout } from "../../checkout/create.js";
import { priceLines, totalOf, type PricedLine } from "../../checkout/lines.js";
import type { CheckoutCoupon } from "../../checkout/types.js";
import { ApiError } from "../../errors.js";
import { addButton, addLink, addNote, once, type TurnContext } from "../context.js";
import { formatPrice, fromMinorUnits } from "../../money/index.js";
import { button } from "../format.js";
import { texts } from "../texts.js";
import { isCatalogueOutage } from "./catalogue.js";
import { shopperGaveEmail } from "./lead.js";
import type { CreateCheckoutLinkInput } from "./schemas.js";

export type CheckoutToolResult =
  | { status: "created"; url: string; total: string; currency: string; lines: ModelLine[]; coupon?: CheckoutCoupon }
  | { status: "needs_choice"; needsChoice: { productId: string; name: string; option: string; choices: string[] } }
  | { status: "payments_not_configured"; total: string; currency: string; lines: ModelLine[]; message: string }
  | { status: "invalid"; reason: string }
  | { status: "unavailable" };

interface ModelLine { productId: string | null; name: string; quantity: number; unitPrice: string }

type Item = { productId: string; quantity: number; variantId?: string; choices?: Record<string, string> };

/** Same product and variant twice -> one line with the quantities added. */
function mergeItems(items: CreateCheckoutLinkInput["items"]): Item[] {
  const byKey = new Map<string, Item>();
  for (const i of items) {
    const productId = i.productId.trim();
    const variantId = i.variantId?.trim() || undefined;
    const choices = i.choices?.length ? Object.fromEntries(i.choices.map((c) => [c.option.trim(), c.value.trim()])) : undefined;
    const key = JSON.stringify([productId, variantId ?? null, choices ? Object.entries(choices).sort() : null]);
    const prev = byKey.get(key);
    if (prev) prev.quantity += i.quantity;
    else byKey.set(key, { productId, quantity: i.quantity, ...(variantId ? { variantId } : {}), ...(choices ? { choices } : {}) });
  }
  return [...byKey.values()];
}

/** The first line that still needs a choice, from priceLines' 422 details. */
function needsChoiceOf(err: ApiError): { productId: string; name: string; option: string; choices: string[] } | null {
  const details = err.extra.details;
  const list = Array.isArray(details) ? (details as Record<string, unknown>[]) : [];
  const d = list.find((x) => x.reason === "needs_choice");
  if (!d || typeof d.option !== "string" || !Array.isArray(d.choices)) return null;
  return { productId: String(d.productId ?? ""), name: String(d.name ?? ""), option: d.option, choices: d.choices.map(String) };
}

const COUPON_TEXT = {
  fr: {
    applied: (code: string | undefined) => (code ? `Votre code ${code} est appliqué sur la page de paiement.` : "Votre réduction est appliquée sur la page de paiement."),
    refused: (code: string | undefined) =>
      `La boutique n'a pas accepté le code${code ? ` ${code}` : ""} sur cette commande : le lien de paiement est sans la réduction.`,
    unavailable: "Le paiement en ligne est brièvement indisponible. Réessayez dans quelques minutes, ou demandez à parler à un conseiller.",
  },
  en: {
    applied: (code: string | undefined) => (code ? `Your code ${code} is applied on the payment page.` : "Your discount is applied on the payment page."),
    refused: (code: string | undefined) => `The shop did not accept the code${code ? ` ${code}` : ""} on this order: the payment link is without the discount.`,
    unavailable: "Online payment is briefly unavailable. Please try again in a few minutes, or ask to talk to a person.",
  },
} as const;

export async function createCheckoutLinkTool(ctx: TurnContext, input: CreateCheckoutLinkInput): Promise<CheckoutToolResult> {
  const { services } = ctx;
  const t = texts(ctx.lang);
  const done = (status: string) => ctx.draft.tools.push({ name: "create_checkout_link", status });
  const { maxLines, maxQuantity } = services.config.stripe;
  const items = mergeItems(input.items);
  if (items.length > maxLines) {
    done("invalid");
    return { status: "invalid", reason: `At most ${maxLines} different products per payment link.` };
  }
  const tooMany = items.find((i) => i.quantity > maxQuantity);
  if (tooMany) {
    done("invalid");
    return { status: "invalid", reason: `At most ${maxQuantity} of one product per payment link.` };
  }
  const email = [input.email, ctx.draft.leadEmail, ctx.contactEmail].find((e): e is string => !!e && shopperGaveEmail(ctx, e))?.trim().toLowerCase();

  return once(ctx, `checkout:${JSON.stringify(items)}`, async (): Promise<CheckoutToolResult> => {
    let lines: PricedLine[];
    try {
      lines = await priceLines(services, items);
    } catch (err) {
      if (err instanceof ApiError && (err.code === "unprocessable" || err.code === "validation_failed")) {
        const needsChoice = needsChoiceOf(err);
        if (needsChoice) {
          done("needs_choice");
          return { status: "needs_choice", needsChoice };
        }
        done("invalid");
        return { status: "invalid", reason: err.message };
      }
      if (isCatalogueOutage(err)) {
        ctx.draft.catalogueDown = true;
        done("unavailable");
        addNote(ctx.draft, t.catalogueDown);
        return { status: "unavailable" };
      }
      throw err;
    }
    const currency = services.config.stripe.currency.toUpperCase();
    const total = fromMinorUnits(totalOf(lines), currency);
    const shownTotal = formatPrice(total, currency, ctx.lang);
    const summary = lines.map((l) => `${l.quantity} × ${l.name}`).join(", ");
    const modelLines = lines.map((l) => ({ productId: l.productId, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice }));

    try {
      const session = await createCheckout(services, {
        items,
        ...(email ? { email } : {}),
        ...(ctx.conversationId ? { conversationId: ctx.conversationId } : {}),
        channel: ctx.channel,
      });
      addLink(ctx.draft, { title: `${ctx.lang === "fr" ? "Payer" : "Pay"} ${shownTotal}`, url: session.url, kind: "checkout" });
      addNote(ctx.draft, t.checkoutReady(shownTotal, summary));
      if (session.coupon?.applied) addNote(ctx.draft, COUPON_TEXT[ctx.lang].applied(session.coupon.code));
      else if (session.coupon?.reason === "refused") addNote(ctx.draft, COUPON_TEXT[ctx.lang].refused(session.coupon.code));
      done("created");
      return { status: "created", url: session.url, total, currency, lines: modelLines, ...(session.coupon ? { coupon: session.coupon } : {}) };
    } catch (err) {
      if (err instanceof ApiError && err.code === "payments_not_configured") {
        addNote(ctx.draft, t.paymentsOff(shownTotal, summary));
        addButton(ctx.draft, button(t.button.human, "human"));
        done("payments_not_configured");
        return { status: "payments_not_configured", total, currency, lines: modelLines, message: "Online payment is not set up on this shop yet." };
      }
      if (err instanceof ApiError && err.status < 500) {
        done("invalid");
        return { status: "invalid", reason: err.message };
      }
      if (isCatalogueOutage(err)) {
        // The catalogue answered a moment ago: the payment provider (Wix or Stripe) is what is down.
        done("unavailable");
        addNote(ctx.draft, COUPON_TEXT[ctx.lang].unavailable);
        return { status: "unavailable" };
      }
      throw err;
    }
  });
}
