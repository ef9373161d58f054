/**
 * create_checkout_link: a payment link for catalogue ids and quantities through createCheckout
 * (lib/checkout), which reads every price from the shop itself. The tool prices the cart with
 * the same code first, so the shopper is told the verified total even when Stripe is not
 * configured ("payments are not set up yet"). Limits come from the configuration; a
 * shopper-typed email only.
 */
import { createCheckout, priceLines, totalOf, type PricedLine } from "../../checkout/index.js";
import { ApiError } from "../../errors.js";
import { addButton, addLink, addNote, once, type TurnContext } from "../context.js";
import { formatPrice, fromMinorUnits } from "../../money/index.js";
import { button } from "../format.js";
import { texts } from "../texts.js";
import { isCatalogueOutage } from "./catalogue.js";
import { shopperGaveEmail } from "./lead.js";
import type { CreateCheckoutLinkInput } from "./schemas.js";

export type CheckoutToolResult =
  | { status: "created"; url: string; total: string; currency: string; lines: ModelLine[] }
  | { status: "payments_not_configured"; total: string; currency: string; lines: ModelLine[]; message: string }
  | { status: "invalid"; reason: string }
  | { status: "unavailable" };

interface ModelLine { productId: string | null; name: string; quantity: number; unitPrice: string }

/** Same product twice -> one line with the quantities added. */
function mergeItems(items: CreateCheckoutLinkInput["items"]): { productId: string; quantity: number }[] {
  const byId = new Map<string, number>();
  for (const i of items) byId.set(i.productId.trim(), (byId.get(i.productId.trim()) ?? 0) + i.quantity);
  return [...byId].map(([productId, quantity]) => ({ productId, quantity }));
}

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
      done("created");
      return { status: "created", url: session.url, total, currency, lines: modelLines };
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
        done("unavailable");
        addNote(ctx.draft, t.checkoutFailed);
        return { status: "unavailable" };
      }
      throw err;
    }
  });
}
