/**
 * Defect #2 (issue 16): an owner's WhatsApp alert that ran out of request budget (a stall
 * before it) was recorded `whatsapp_budget`, retryable:false, so the retry job never sent it.
 * Nothing reached Meta: the alert must stay retryable and go out on the next retry run.
 */
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { notify } from "../../lib/notifications/index.js";
import { retryFailedNotifications } from "../../lib/notifications/retry.js";
import { notificationList } from "../../lib/notifications/store.js";
import { newRequestContext, requestContext } from "../../lib/request-context.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";

const server = useMsw();
const WA_ENV = {
  WHATSAPP_ACCESS_TOKEN: "EAAtesttoken123456789",
  WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
  WHATSAPP_VERIFY_TOKEN: "verify-me",
  META_APP_SECRET: "app-secret",
  ADMIN_PHONE: "+33 6 12 34 56 78",
};
const URL_ = "https://graph.facebook.com/v26.0/106540352242922/messages";
const T0 = "2026-11-25T10:00:00.000Z";

let open: Services[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.store.close()));
});

describe("owner WhatsApp alert after a stall", () => {
  it("is recorded retryable when the request budget was spent before the send, and the retry job sends it", async () => {
    const sent: unknown[] = [];
    server.use(
      http.post(URL_, async ({ request }) => {
        sent.push(await request.json());
        return HttpResponse.json({ messaging_product: "whatsapp", messages: [{ id: "wamid.late" }] });
      }),
    );
    const s = await createTestServices(WA_ENV);
    open.push(s);
    await setDbNow(s.store as PgliteStore, T0);

    // The request already spent its whole budget (a stall earlier in the request).
    const spent = newRequestContext(0);
    const [result] = await requestContext.run(spent, () => notify(s, { type: "lead", dedupKey: "k:stall", subject: "Nouveau lead", message: "Bonjour", fields: {}, channels: ["whatsapp"] }));
    expect(result).toMatchObject({ channel: "whatsapp", status: "failed" });
    expect(sent).toHaveLength(0);
    const [row] = await notificationList(s.store, "k:stall");
    expect(row).toMatchObject({ status: "failed", retryable: true });
    expect(row!.error).toMatch(/budget/);

    await setDbNow(s.store as PgliteStore, new Date(Date.parse(T0) + 30 * 60_000).toISOString());
    expect(await retryFailedNotifications(s)).toMatchObject({ retried: 1, sent: 1 });
    expect(sent).toHaveLength(1);
    expect((await notificationList(s.store, "k:stall"))[0]).toMatchObject({ status: "sent" });
  });
});
