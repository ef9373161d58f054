/**
 * Which recipients the app may email (ADMIN_EMAIL_ALLOWED_DOMAINS). An empty list means no
 * restriction; otherwise the address's domain must equal one of the listed domains exactly,
 * case-insensitively: `evil-example.com` and `example.com.evil` are not `example.com`.
 */

/** The domain part of an address (after the last "@"), lower case; null when there is none. */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return null;
  return address.slice(at + 1).trim().replace(/\.$/, "").toLowerCase();
}

export function isRecipientAllowed(address: string, allowedDomains: readonly string[]): boolean {
  const domains = allowedDomains.map((d) => d.trim().replace(/^@/, "").replace(/\.$/, "").toLowerCase()).filter(Boolean);
  if (domains.length === 0) return true;
  const domain = domainOf(address);
  return domain !== null && domains.includes(domain);
}
