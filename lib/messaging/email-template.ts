/**
 * The one template of every email Keydesk sends: a message is described as blocks, and rendered
 * here into a plain-text part and an HTML part that say the same thing. The HTML is made for mail
 * clients and screen readers alike: `lang`, a `<title>`, one heading, layout tables marked
 * `role="presentation"`, facts in a real table with row headers, inline styles only (clients drop
 * `<style>`), dark text on light backgrounds. No images and nothing remote (tracking pixels and
 * remote images leak when the mail was read), no scripts, no forms. Every value is escaped: a key
 * named `<script>` is just text.
 */

export type EmailBlock =
  | { kind: 'paragraph'; text: string }
  /** Label → value rows: which key, when, from where. */
  | { kind: 'facts'; rows: ReadonlyArray<readonly [label: string, value: string]> }
  | { kind: 'list'; title: string; items: readonly string[] }
  /** A one-time code, set apart so it is easy to read and copy. */
  | { kind: 'code'; label: string; code: string }
  /** What to do if this was not the reader: stands out from the rest. */
  | { kind: 'warning'; title: string; text: string }
  | { kind: 'link'; text: string; href: string };

export interface EmailContent {
  subject: string;
  heading: string;
  blocks: readonly EmailBlock[];
  /** Why the reader gets this email; the last line of both parts. */
  footer: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Control characters (a newline in a key name, say) would break a subject header or a text line. */
const oneLine = (value: string) => value.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();

/** Only links to the app itself belong in these emails; anything else is dropped to its text. */
const safeHref = (href: string) => /^https?:\/\//i.test(href);

// ---------------------------------------------------------------------------------------------
// Plain text

function textBlock(block: EmailBlock): string {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'facts': {
      const width = Math.max(...block.rows.map(([label]) => label.length)) + 1;
      return block.rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${oneLine(value)}`).join('\n');
    }
    case 'list':
      return [block.title, ...block.items.map((item) => `- ${oneLine(item)}`)].join('\n');
    case 'code':
      return `${block.label}: ${block.code}`;
    case 'warning':
      return `${block.title.toUpperCase()}\n${block.text}`;
    case 'link':
      return safeHref(block.href) ? `${block.text}: ${block.href}` : block.text;
  }
}

function renderText(content: EmailContent): string {
  const heading = oneLine(content.heading);
  return [`${heading}\n${'='.repeat(Math.min(heading.length, 72))}`, ...content.blocks.map(textBlock), `--\n${content.footer}`].join(
    '\n\n',
  );
}

// ---------------------------------------------------------------------------------------------
// HTML

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,&quot;Segoe UI&quot;,Roboto,Helvetica,Arial,sans-serif';
const TEXT = 'color:#0f172a;font-size:16px;line-height:1.5';
const MUTED = 'color:#475569;font-size:14px;line-height:1.5';

function htmlBlock(block: EmailBlock): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;${TEXT}">${escapeHtml(block.text)}</p>`;
    case 'facts':
      return (
        `<table style="margin:0 0 16px;border-collapse:collapse;width:100%;${TEXT}">` +
        block.rows
          .map(
            ([label, value]) =>
              `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:6px 12px 6px 0;border-top:1px solid #e2e8f0;font-weight:600;white-space:nowrap">${escapeHtml(label)}</th>` +
              `<td style="padding:6px 0;border-top:1px solid #e2e8f0;word-break:break-word">${escapeHtml(oneLine(value))}</td></tr>`,
          )
          .join('') +
        '</table>'
      );
    case 'list':
      return (
        `<p style="margin:0 0 4px;${TEXT};font-weight:600">${escapeHtml(block.title)}</p>` +
        `<ul style="margin:0 0 16px;padding-left:24px;${TEXT}">${block.items.map((item) => `<li>${escapeHtml(oneLine(item))}</li>`).join('')}</ul>`
      );
    case 'code':
      return (
        `<p style="margin:0 0 4px;${TEXT}">${escapeHtml(block.label)}</p>` +
        `<p style="margin:0 0 16px;font-family:Menlo,Consolas,monospace;font-size:28px;letter-spacing:6px;font-weight:700;color:#0f172a">${escapeHtml(block.code)}</p>`
      );
    case 'warning':
      return (
        `<div style="margin:0 0 16px;padding:12px 16px;border-left:4px solid #b45309;background:#fffbeb">` +
        `<p style="margin:0 0 4px;${TEXT};font-weight:700">${escapeHtml(block.title)}</p>` +
        `<p style="margin:0;${TEXT}">${escapeHtml(block.text)}</p></div>`
      );
    case 'link':
      return safeHref(block.href)
        ? `<p style="margin:0 0 16px;${TEXT}"><a href="${escapeHtml(block.href)}" style="color:#1d4ed8;text-decoration:underline">${escapeHtml(block.text)}</a></p>`
        : `<p style="margin:0 0 16px;${TEXT}">${escapeHtml(block.text)}</p>`;
  }
}

function renderHtml(content: EmailContent): string {
  return [
    '<!doctype html>',
    '<html lang="en" dir="ltr">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    '<meta name="color-scheme" content="light"><meta name="supported-color-schemes" content="light">',
    `<title>${escapeHtml(oneLine(content.subject))}</title></head>`,
    `<body style="margin:0;padding:0;background:#f1f5f9;${FONT}">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f5f9;padding:24px 12px"><tr><td align="center">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border:1px solid #e2e8f0;border-radius:8px"><tr><td style="padding:32px;${FONT}">`,
    `<p style="margin:0 0 24px;font-size:14px;font-weight:700;letter-spacing:1px;color:#1e3a8a">KEYDESK</p>`,
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:#0f172a">${escapeHtml(oneLine(content.heading))}</h1>`,
    ...content.blocks.map(htmlBlock),
    `<p style="margin:24px 0 0;padding-top:16px;border-top:1px solid #e2e8f0;${MUTED}">${escapeHtml(content.footer)}</p>`,
    '</td></tr></table>',
    '</td></tr></table>',
    '</body></html>',
  ].join('\n');
}

/** The subject, the text part and the HTML part of one email. */
export function renderEmail(content: EmailContent): RenderedEmail {
  return { subject: oneLine(content.subject).slice(0, 200), text: renderText(content), html: renderHtml(content) };
}
