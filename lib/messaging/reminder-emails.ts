import { renderEmail, type EmailBlock, type RenderedEmail } from './email-template';
import type { KeyRef } from './security-notices';
import { formatUtc, keyPrefix } from './wording';

/**
 * What each key reminder says (lib/keys/reminders.ts decides when one is due and sends it). Each
 * names the key (its name and the API key's first characters), says when (UTC) and what to do,
 * with a link to the key's own page. Unlike security emails these can be turned off, and the
 * footer says where.
 */

export const REMINDER_KINDS = ['expires_in_7_days', 'expires_in_1_day', 'expired', 'not_activated'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export interface ReminderKey extends KeyRef {
  id: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface ReminderContext {
  recipientEmail: string;
  accountName: string | null;
  /** When the reminder is sent. */
  now: Date;
  appUrl: string;
}

const DAY_MS = 86_400_000;
const quoted = (key: KeyRef) => `“${key.name}”`;

/** "in 6 days" / "in 1 day" / "in 3 hours": what is left, never rounded up past the truth. */
export function timeLeft(until: Date, now: Date): string {
  const ms = until.getTime() - now.getTime();
  if (ms >= DAY_MS) {
    const days = Math.floor(ms / DAY_MS);
    return `in ${days} ${days === 1 ? 'day' : 'days'}`;
  }
  const hours = Math.max(1, Math.floor(ms / 3_600_000));
  return `in ${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

interface Wording {
  subject: string;
  heading: string;
  lead: string;
  facts: Array<[string, string]>;
  todo: string;
  link: string;
}

function wordingOf(kind: ReminderKind, key: ReminderKey, now: Date): Wording {
  const expires = key.expiresAt ? formatUtc(key.expiresAt) : '';
  switch (kind) {
    case 'expires_in_7_days':
    case 'expires_in_1_day': {
      const left = timeLeft(key.expiresAt!, now);
      return {
        subject: `API key expires ${left}: ${quoted(key)}`,
        heading: `An API key expires ${left}`,
        lead: `The API key ${quoted(key)} expires on ${expires} (${left}). From then on every call signed with it is refused, on REST and WebSocket alike.`,
        facts: [['Expires', expires]],
        todo: 'To keep it working, open the key and choose Edit to set a later expiry date. Or create a new key, move your applications to it, and delete this one.',
        link: 'Open the key to extend it',
      };
    }
    case 'expired':
      return {
        subject: `API key expired: ${quoted(key)}`,
        heading: 'An API key has expired',
        lead: `The API key ${quoted(key)} expired on ${expires}. Every call signed with it is now refused.`,
        facts: [['Expired', expires]],
        todo: 'If you still need it, open the key and choose Edit to set a new expiry date, then activate it again if asked. If you do not, delete it.',
        link: 'Open the key',
      };
    case 'not_activated':
      return {
        subject: `API key never activated: ${quoted(key)}`,
        heading: 'An API key was never activated',
        lead: `The API key ${quoted(key)} was created on ${formatUtc(key.createdAt)} and has not been activated since: it cannot be used until it is.`,
        facts: [['Created', formatUtc(key.createdAt)]],
        todo: 'If you need it, open the key and choose Activate: a code is sent to your email. If you do not, delete it — an unused key is one more secret to keep safe.',
        link: 'Open the key to activate or delete it',
      };
  }
}

/** The reminder email of `kind` about `key`: its subject, plain-text and HTML parts. */
export function reminderEmail(kind: ReminderKind, key: ReminderKey, context: ReminderContext): RenderedEmail {
  const wording = wordingOf(kind, key, context.now);
  const rows: Array<[string, string]> = [['API key name', key.name], ['API key', keyPrefix(key.publicKey)], ...wording.facts];
  if (context.accountName) rows.push(['Account', context.accountName]);
  rows.push(['Reminder sent', formatUtc(context.now)]);
  const blocks: EmailBlock[] = [
    { kind: 'paragraph', text: wording.lead },
    { kind: 'facts', rows },
    { kind: 'paragraph', text: wording.todo },
    { kind: 'link', text: wording.link, href: `${context.appUrl.replace(/\/+$/, '')}/settings/api-keys/${key.id}` },
  ];
  return renderEmail({
    subject: wording.subject,
    heading: wording.heading,
    blocks,
    footer: `Keydesk sends reminders about your account's API keys to ${context.recipientEmail}. You can turn them off in Settings › Notifications. Keydesk staff will never ask for your password, your codes or your API secret.`,
  });
}
