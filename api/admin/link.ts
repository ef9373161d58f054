/**
 * POST /api/admin/link {"token"} -> 200 {"conversationId","ref"} and a session cookie limited to
 * that conversation. The token comes from the URL fragment of a hand-off notification's link
 * (/admin/#link=<token>; mail scanners prefetch GET links, never this POST); single use, 24 h.
 * Used or expired -> 401.
 */
import * as z from "zod";
import { assertSameOrigin } from "../../lib/owner/auth.js";
import { sessionCookie } from "../../lib/owner/cookie.js";
import { exchangeLink } from "../../lib/owner/sign-in.js";
import { TOKEN_SHAPE } from "../../lib/owner/tokens.js";
import { json, route } from "../../lib/route.js";

const bodySchema = z.object({ token: z.string().regex(TOKEN_SHAPE, "token must be the link's token") });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-link", {
  POST: {
    summary: "Exchange a reply link’s token for a session limited to its conversation",
    body: bodySchema,
    maxBodyBytes: 1024,
    async handler({ request, url, body, services }) {
      assertSameOrigin(request, services);
      const s = await exchangeLink(services, body.token);
      return json({ conversationId: s.conversationId, ref: s.ref }, { headers: { "set-cookie": sessionCookie(url, s.token) } });
    },
  },
});
