/**
 * Product images for WhatsApp, which takes only JPEG or PNG up to 5 MB: a Wix media URL
 * (static.wixstatic.com/media/<file>, originals up to 6000 px in any format) is requested
 * through Wix's image transform as a JPEG fitted in 1000 x 1000 at quality 85; any other URL is
 * kept only when it is already a .jpg/.jpeg/.png, else null (the product goes as text).
 */
const WIX_MEDIA = /^https?:\/\/static\.wixstatic\.com\/media\/([^/?#]+)/i;
export const WHATSAPP_IMAGE_TRANSFORM = "/v1/fit/w_1000,h_1000,q_85/file.jpg";

export function whatsappImageUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return null;
  const m = WIX_MEDIA.exec(url);
  // Any transform already on the URL (/v1/fill/..., /v1/fit/w_50...) is replaced by ours.
  if (m) return `https://static.wixstatic.com/media/${m[1]}${WHATSAPP_IMAGE_TRANSFORM}`;
  return /\.(jpe?g|png)$/i.test(u.pathname) ? u.toString() : null;
}
