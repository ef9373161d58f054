/**
 * "Where is my order 1234?": the order number goes to the `order_status` tool (the shop's orders,
 * matched with the buyer's email or the channel identity); when the tool needs the email, the
 * question is asked and kept pending in the dialogue state, so the next message's email answers it.
 */
import { addButton, addLink, type TurnContext } from "../context.js";
import { button } from "../format.js";
import { texts } from "../texts.js";
import { TOOLS } from "../tools/index.js";

interface OrderTool { run(ctx: TurnContext, input: { orderNumber: string; email?: string }): Promise<unknown> }

/** The order-status tool, when this build has one. */
function orderTool(): OrderTool | undefined {
  return (TOOLS as unknown as Record<string, OrderTool | undefined>)["order_status"];
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export async function orderStatus(ctx: TurnContext, orderNumber: string | null, email?: string): Promise<string> {
  const t = texts(ctx.lang);
  if (!orderNumber) {
    addButton(ctx.draft, button(t.button.human, "human"));
    return t.orderAskNumber;
  }
  const tool = orderTool();
  if (!tool) {
    addButton(ctx.draft, button(t.button.human, "human"));
    return t.orderUnavailable;
  }
  const before = ctx.draft.notes.length;
  const r = (await tool.run(ctx, { orderNumber, ...(email ? { email } : {}) })) as Record<string, unknown>;
  // The tool writes its own sentences (status, tracking, "which email?") as notes: they are the answer.
  const said = ctx.draft.notes.splice(before);
  const trace = ctx.draft.tools.findLast((x) => x.name === "order_status");
  if (trace) trace.args = { orderNumber };
  else ctx.draft.tools.push({ name: "order_status", status: str(r.status) ?? "ok", args: { orderNumber } });
  const status = str(r.status);
  ctx.dialogue.pending = null;
  if (status === "needs_email" || status === "email_required") {
    ctx.dialogue.pending = { kind: "order_email", orderNumber };
    return said.join("\n\n") || t.orderAskEmail(orderNumber);
  }
  if (said.length) {
    if (status === "unavailable" || status === "not_found") addButton(ctx.draft, button(t.button.human, "human"));
    return said.join("\n\n");
  }
  if (status === "not_found") return t.orderNotFound(orderNumber);
  if (status === "unavailable") {
    addButton(ctx.draft, button(t.button.human, "human"));
    return t.orderUnavailable;
  }
  const order = (r.order && typeof r.order === "object" ? r.order : r) as Record<string, unknown>;
  const tracking = str(order.trackingUrl) ?? str(order.trackingLink);
  if (tracking) addLink(ctx.draft, { title: t.trackingLink, url: tracking, kind: "info" });
  const summary = [str(order.fulfillment) ?? str(order.fulfilment), str(order.payment)].filter(Boolean).join(", ");
  return t.orderLine(orderNumber, summary || status || "");
}
