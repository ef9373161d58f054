/**
 * POST /api/admin/login {"email"} -> 202, whatever the address (no account enumeration).
 * When the address is one of OWNER_EMAILS (default ADMIN_EMAIL), a six-digit code is emailed
 * (SMTP, or the outbox locally: the dev server prints the file), after the response.
 */
import * as z from "zod";
import { sendSignInCode } from "../../lib/owner/sign-in.js";
import { assertSameOrigin } from "../../lib/owner/auth.js";
import { json, route } from "../../lib/route.js";

const bodySchema = z.object({ email: z.string().trim().min(3).max(254).email("email must be an email address") });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-login", {
  POST: {
    summary: "Ask for a sign-in code by email (202 whatever the address)",
    body: bodySchema,
    maxBodyBytes: 2048,
    handler({ request, body, services, waitUntil }) {
      assertSameOrigin(request, services);
      waitUntil(
        sendSignInCode(services, body.email).catch((err: unknown) => {
          services.log.error("owner sign-in code not sent", { error: (err as Error)?.message });
        }),
      );
      return json({ ok: true }, { status: 202 });
    },
  },
});
