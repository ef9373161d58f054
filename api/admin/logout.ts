/**
 * POST /api/admin/logout -> 204 and the cookie cleared: ends this device's session, or every
 * session of the same owner with {"all":true}. Without a session -> 401.
 */
import { ApiError } from "../../lib/errors.js";
import { ownerSession } from "../../lib/owner/auth.js";
import { clearedCookie } from "../../lib/owner/cookie.js";
import { logout } from "../../lib/owner/store.js";
import { route } from "../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-logout", {
  POST: {
    summary: "End this session, or every session of the owner",
    auth: "owner",
    rawBody: true,
    maxBodyBytes: 1024,
    async handler({ url, rawBody, services, auth }) {
      const owner = ownerSession(auth);
      let all = false;
      if (rawBody.trim()) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(rawBody);
        } catch {
          throw new ApiError("invalid_json", "The request body is not valid JSON.");
        }
        const value = (parsed as { all?: unknown } | null)?.all;
        if (value !== undefined && typeof value !== "boolean") throw new ApiError("validation_failed", "The request body is invalid.", { details: [{ path: "all", message: "all must be true or false" }] });
        all = value === true;
      }
      const { ended } = await logout(services.store, owner.tokenHash, all);
      if (!ended) throw new ApiError("unauthorized", "Your session has expired or was ended: sign in again.");
      return new Response(null, { status: 204, headers: { "set-cookie": clearedCookie(url) } });
    },
  },
});
