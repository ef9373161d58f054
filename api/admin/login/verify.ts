/**
 * POST /api/admin/login/verify {"email","code"} -> 204 and the session cookie
 * (HttpOnly; SameSite=Strict; Path=/; Secure except on http://localhost). A wrong or expired
 * code -> 401; the 5th wrong try voids the code -> 429 (ask for a new one).
 */
import * as z from "zod";
import { assertSameOrigin } from "../../../lib/owner/auth.js";
import { sessionCookie } from "../../../lib/owner/cookie.js";
import { verifySignInCode } from "../../../lib/owner/sign-in.js";
import { route } from "../../../lib/route.js";

const bodySchema = z.object({
  email: z.string().trim().min(3).max(254).email("email must be an email address"),
  code: z.string().trim().regex(/^\d{6}$/, "code must be the 6 digits received by email"),
});

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-login-verify", {
  POST: {
    summary: "Exchange the emailed code for the inbox’s session cookie",
    body: bodySchema,
    maxBodyBytes: 2048,
    async handler({ request, url, body, services }) {
      assertSameOrigin(request, services);
      const token = await verifySignInCode(services, body.email, body.code);
      return new Response(null, { status: 204, headers: { "set-cookie": sessionCookie(url, token) } });
    },
  },
});
