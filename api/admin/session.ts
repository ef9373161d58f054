/**
 * GET /api/admin/session -> {"email","scope","ref"}: who is signed in (the page asks on load);
 * `scope` is the one conversation a reply-link session may open (null for a full session).
 * Without a valid session -> 401.
 */
import { notSignedIn, ownerSession } from "../../lib/owner/auth.js";
import { whoami } from "../../lib/owner/store.js";
import { route } from "../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-session", {
  GET: {
    summary: "Who is signed in (and the conversation of a reply-link session)",
    auth: "owner",
    async handler({ services, auth }) {
      const owner = ownerSession(auth);
      const s = await whoami(services.store, owner.tokenHash);
      if (s.status !== "ok") throw notSignedIn();
      return { email: s.email, scope: s.scope ?? null, ref: s.ref ?? null };
    },
  },
});
