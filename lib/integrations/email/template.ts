/**
 * The owner-notification email: a subject, a message and a table of fields, rendered as HTML
 * (every value escaped, brand colour from the validated config) and as plain text.
 */
import { escapeHtml, headerLine } from "./escape.js";

export interface NotificationTemplateInput {
  brandName: string;
  /** A validated hex colour (config.app.brandColor). */
  brandColor: string;
  subject: string;
  message: string;
  /** Label -> value, shown in this order. */
  fields?: Record<string, string>;
  language?: "fr" | "en";
}

export interface RenderedEmail { subject: string; html: string; text: string }

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const FOOTER = { fr: "Notification automatique envoyée par", en: "Automatic notification sent by" } as const;

export function renderNotificationEmail(input: NotificationTemplateInput): RenderedEmail {
  const color = HEX.test(input.brandColor) ? input.brandColor : "#1f6feb";
  const brand = headerLine(input.brandName, 80);
  const subject = headerLine(`[${brand}] ${input.subject}`);
  const fields = Object.entries(input.fields ?? {}).filter(([, v]) => v !== undefined && v !== null && String(v) !== "");
  const footer = `${FOOTER[input.language ?? "fr"]} ${brand}`;

  const rows = fields
    .map(
      ([k, v]) =>
        `<tr><th align="left" style="padding:4px 12px 4px 0;vertical-align:top;color:#555;font-weight:600">${escapeHtml(k)}</th>` +
        `<td style="padding:4px 0;white-space:pre-wrap">${escapeHtml(v)}</td></tr>`,
    )
    .join("");
  const html = [
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#222">`,
    `<div style="background:${color};color:#fff;padding:12px 16px;font-weight:700">${escapeHtml(brand)}</div>`,
    `<div style="padding:16px">`,
    `<h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(input.subject)}</h1>`,
    `<p style="margin:0 0 16px;white-space:pre-wrap">${escapeHtml(input.message)}</p>`,
    rows ? `<table cellspacing="0" cellpadding="0" style="border-collapse:collapse">${rows}</table>` : "",
    `<p style="margin-top:24px;color:#888;font-size:12px">${escapeHtml(footer)}</p>`,
    `</div></body></html>`,
  ].join("");

  const text = [input.subject, "", input.message, "", ...fields.map(([k, v]) => `${k}: ${v}`), "", `-- ${footer}`]
    .join("\n")
    .replace(/\n{3,}/g, "\n\n");
  return { subject, html, text };
}
