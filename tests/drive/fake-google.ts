/**
 * msw fakes of Google's OAuth token endpoint (hard-coded in google-auth-library) and of the
 * Drive multipart upload endpoint, recording what each received (FACTS §8 shapes).
 */
import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { http, HttpResponse } from "msw";

export const DRIVE_BASE = "http://drive.test";
export const TOKEN_URL = "https://oauth2.googleapis.com/token";
export const UPLOAD_URL = `${DRIVE_BASE}/upload/drive/v3/files`;

export const { privateKey: PRIVATE_KEY, publicKey: PUBLIC_KEY } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

export function serviceAccount(email: string): string {
  return JSON.stringify({ type: "service_account", project_id: "comptoir-test", client_email: email, private_key: PRIVATE_KEY, token_uri: TOKEN_URL });
}

export interface TokenCall {
  grant: string;
  /** JWT bearer grant: the claims, and whether the signature checks with PUBLIC_KEY. */
  iss?: string;
  scope?: string;
  signatureValid?: boolean;
  /** Refresh-token grant. */
  refreshToken?: string;
  clientId?: string;
}

export interface UploadCall {
  query: URLSearchParams;
  authorization: string | null;
  contentType: string | null;
  body: string;
  /** The JSON metadata part of the multipart/related body. */
  metadata: { name?: string; parents?: string[] };
}

export function googleFake() {
  const tokens: TokenCall[] = [];
  const uploads: UploadCall[] = [];
  const token = http.post(TOKEN_URL, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    const grant = form.get("grant_type") ?? "";
    if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      const [h, p, s] = (form.get("assertion") ?? "").split(".");
      const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as { iss: string; scope: string };
      const signatureValid = verify("RSA-SHA256", Buffer.from(`${h}.${p}`), createPublicKey(PUBLIC_KEY), Buffer.from(s!, "base64url"));
      tokens.push({ grant: "jwt", iss: claims.iss, scope: claims.scope, signatureValid });
      return HttpResponse.json({ access_token: `ya29.sa-${claims.iss.split("@")[0]}`, expires_in: 3599, token_type: "Bearer" });
    }
    if (grant === "refresh_token") {
      tokens.push({ grant: "refresh", refreshToken: form.get("refresh_token") ?? undefined, clientId: form.get("client_id") ?? undefined });
      return HttpResponse.json({ access_token: "ya29.oauth-user", expires_in: 3599, token_type: "Bearer", scope: "https://www.googleapis.com/auth/drive.file" });
    }
    return HttpResponse.json({ error: "unsupported_grant_type" }, { status: 400 });
  });
  const upload = (answer?: () => Response | Promise<Response>) =>
    http.post(UPLOAD_URL, async ({ request }) => {
      const body = await request.text();
      const json = body.split("\r\n\r\n")[1]?.split("\r\n")[0] ?? "{}";
      uploads.push({
        query: new URL(request.url).searchParams,
        authorization: request.headers.get("authorization"),
        contentType: request.headers.get("content-type"),
        body,
        metadata: JSON.parse(json) as UploadCall["metadata"],
      });
      if (answer) return answer();
      const id = `1AbC${uploads.length}`;
      return HttpResponse.json({ id, webViewLink: `https://drive.google.com/file/d/${id}/view`, webContentLink: `https://drive.google.com/uc?id=${id}&export=download` });
    });
  return { tokens, uploads, token, upload };
}

/** Drive's error shape (FACTS §8). */
export function driveError(code: number, reason: string, message = reason) {
  return HttpResponse.json({ error: { code, message, errors: [{ domain: "usageLimits", reason, message }] } }, { status: code });
}
