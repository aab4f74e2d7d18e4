import type { RequestContext } from '@/lib/platform/audit';
import { renderEmail, type EmailBlock, type RenderedEmail } from './email-template';
import { describeBrowser, formatUtc, keyPrefix } from './wording';

/**
 * What each security email says (lib/messaging/notify.ts sends them, in the transaction of the
 * change). Every one names what happened, to which key (its name and the API key's first
 * characters), when (UTC), from which address and browser — or that an administrator did it —
 * and what to do if it was not the reader. None carries a secret, a code or a password: the
 * events below have no field that could hold one.
 */

/** A key as an email may name it: never its secret. */
export interface KeyRef {
  name: string;
  publicKey: string;
}

export type SecurityEvent =
  | { kind: 'key_created'; key: KeyRef; permissions: readonly string[]; ipWhitelist: readonly string[] }
  | { kind: 'key_activated'; key: KeyRef }
  | { kind: 'key_edited'; key: KeyRef; changes: readonly string[]; deactivated: boolean }
  | { kind: 'key_deactivated'; key: KeyRef }
  | { kind: 'key_secret_rotated'; key: KeyRef; graceEndsAt: Date | null }
  | { kind: 'key_deleted'; key: KeyRef }
  | { kind: 'key_suspended'; key: KeyRef; reason: string }
  | { kind: 'key_unsuspended'; key: KeyRef }
  | { kind: 'key_revoked'; key: KeyRef; reason: string }
  | { kind: 'two_factor_enabled'; method: 'sms' | 'totp' | 'email' }
  | { kind: 'two_factor_disabled'; method: 'sms' | 'totp' | 'email' }
  | { kind: 'password_changed' }
  | { kind: 'signed_out_everywhere' }
  | { kind: 'user_disabled'; reason: string }
  | { kind: 'user_enabled' }
  | { kind: 'new_sign_in'; newAddress: boolean; newBrowser: boolean }
  | { kind: 'locked_down'; keys: readonly KeyRef[]; sessionsEnded: number };

export type SecurityEventKind = SecurityEvent['kind'];

/** Who reads it, and the circumstances the email reports. */
export interface NoticeContext {
  recipientEmail: string;
  accountName: string | null;
  at: Date;
  request: RequestContext;
  /** An administrator acted: their address and browser are staff's, not the owner's business. */
  byAdministrator?: boolean;
  /** The app's address, for the link back to the console. */
  appUrl: string;
  /** The reader's one-time "This wasn't me" link (lib/identity/not-me-links.ts), absent when an administrator acted. */
  notMeHref?: string;
}

const METHOD_NAMES = { sms: 'SMS codes', totp: 'an authenticator app', email: 'email codes' } as const;

interface Wording {
  subject: string;
  heading: string;
  lead: string;
  key?: KeyRef;
  facts?: Array<[string, string]>;
  extra?: EmailBlock[];
  /** What this change means for the owner, after the facts. */
  after?: string;
}

const quoted = (key: KeyRef) => `“${key.name}”`;

function wordingOf(event: SecurityEvent): Wording {
  switch (event.kind) {
    case 'key_created':
      return {
        subject: `New API key created: ${quoted(event.key)}`,
        heading: 'A new API key was created',
        lead: `The API key ${quoted(event.key)} was created on your account.`,
        key: event.key,
        facts: [
          ['Permissions', event.permissions.join(', ')],
          ['IP whitelist', event.ipWhitelist.length ? event.ipWhitelist.join(', ') : 'Any address'],
        ],
        after: 'The key is inactive until it is activated with a code sent to this email address.',
      };
    case 'key_activated':
      return {
        subject: `API key activated: ${quoted(event.key)}`,
        heading: 'An API key was activated',
        lead: `The API key ${quoted(event.key)} was activated: it can now be used to call the API with its permissions.`,
        key: event.key,
      };
    case 'key_edited':
      return {
        subject: `API key changed: ${quoted(event.key)}`,
        heading: 'An API key was changed',
        lead: `The settings of the API key ${quoted(event.key)} were changed.`,
        key: event.key,
        extra: [{ kind: 'list', title: 'What changed', items: event.changes }],
        after: event.deactivated
          ? 'These changes widen what the key may do, so it was deactivated: it works again only once it is activated with a code sent to this email address.'
          : undefined,
      };
    case 'key_secret_rotated':
      return {
        subject: `API secret rotated: ${quoted(event.key)}`,
        heading: 'The secret of an API key was rotated',
        lead: `The API key ${quoted(event.key)} has a new secret. Its API key, permissions and IP whitelist are unchanged.`,
        key: event.key,
        facts: [['Previous secret', event.graceEndsAt ? `Works until ${formatUtc(event.graceEndsAt)}` : 'Stopped working at once']],
        after: event.graceEndsAt
          ? 'Move your applications to the new secret before then: after that time, calls signed with the previous secret are refused.'
          : 'Calls signed with the previous secret are refused from now on.',
      };
    case 'key_deactivated':
      return {
        subject: `API key deactivated: ${quoted(event.key)}`,
        heading: 'An API key was deactivated',
        lead: `The API key ${quoted(event.key)} was deactivated: it no longer works until it is activated again.`,
        key: event.key,
      };
    case 'key_deleted':
      return {
        subject: `API key deleted: ${quoted(event.key)}`,
        heading: 'An API key was deleted',
        lead: `The API key ${quoted(event.key)} was deleted: it no longer works and cannot be restored.`,
        key: event.key,
      };
    case 'key_suspended':
      return {
        subject: `API key suspended by an administrator: ${quoted(event.key)}`,
        heading: 'An administrator suspended an API key',
        lead: `A Keydesk administrator suspended the API key ${quoted(event.key)}. It stops working at once, and it cannot be activated until the suspension is lifted.`,
        key: event.key,
        facts: [['Reason', event.reason]],
        after: 'If you have questions about this suspension, contact Keydesk support.',
      };
    case 'key_unsuspended':
      return {
        subject: `Suspension lifted: ${quoted(event.key)}`,
        heading: 'The suspension of an API key was lifted',
        lead: `A Keydesk administrator lifted the suspension of the API key ${quoted(event.key)}. The key is back as you left it: if it was active, it works again now.`,
        key: event.key,
      };
    case 'key_revoked':
      return {
        subject: `API key revoked by an administrator: ${quoted(event.key)}`,
        heading: 'An administrator revoked an API key',
        lead: `A Keydesk administrator revoked the API key ${quoted(event.key)}. Revocation is permanent: the key can never be used again.`,
        key: event.key,
        facts: [['Reason', event.reason]],
        after: 'You may create a new key. If you have questions about this revocation, contact Keydesk support.',
      };
    case 'two_factor_enabled':
      return {
        subject: 'Two-factor authentication turned on',
        heading: 'Two-factor authentication was turned on',
        lead: `Two-factor authentication by ${METHOD_NAMES[event.method]} was turned on for your Keydesk account.`,
      };
    case 'two_factor_disabled':
      return {
        subject: 'Two-factor authentication turned off',
        heading: 'Two-factor authentication was turned off',
        lead: `Two-factor authentication by ${METHOD_NAMES[event.method]} was turned off for your Keydesk account.`,
      };
    case 'password_changed':
      return {
        subject: 'Your Keydesk password was changed',
        heading: 'Your password was changed',
        lead: 'The password of your Keydesk account was changed. Every other browser signed in to your account was signed out.',
      };
    case 'signed_out_everywhere':
      return {
        subject: 'You were signed out everywhere',
        heading: 'You were signed out everywhere',
        lead: 'Every browser signed in to your Keydesk account, the one that asked included, was signed out.',
      };
    case 'user_disabled':
      return {
        subject: 'Your Keydesk sign-in was disabled by an administrator',
        heading: 'An administrator disabled your sign-in',
        lead: 'A Keydesk administrator disabled your Keydesk sign-in. Every browser signed in to your account was signed out, and you cannot sign in until an administrator enables it again.',
        facts: [['Reason', event.reason]],
        after:
          'The API keys of your account were not changed by this: each keeps its own state. If you have questions, contact Keydesk support.',
      };
    case 'user_enabled':
      return {
        subject: 'Your Keydesk sign-in was enabled again',
        heading: 'An administrator enabled your sign-in again',
        lead: 'A Keydesk administrator enabled your Keydesk sign-in again: you can sign in with your password and second factor as before.',
      };
    case 'new_sign_in':
      return {
        subject: 'New sign-in to your Keydesk account',
        heading: 'A new sign-in to your account',
        lead: `Someone signed in to your Keydesk account from ${
          event.newAddress && event.newBrowser ? 'an address and a browser' : event.newAddress ? 'an address' : 'a browser'
        } not seen on your account in the last 90 days.`,
        after: 'If it was you, there is nothing to do. You can see and end your signed-in browsers in Settings › Security.',
      };
    case 'locked_down':
      return {
        subject: 'All your API keys were deactivated',
        heading: 'All API keys were deactivated',
        lead: `Every active API key of your account was deactivated (${event.keys.length}), and every other browser signed in to your account was signed out (${event.sessionsEnded}).`,
        extra: event.keys.length
          ? [{ kind: 'list', title: 'Deactivated keys', items: event.keys.map((k) => `${quoted(k)} (${keyPrefix(k.publicKey)})`) }]
          : [],
        after:
          'The keys stay inactive until you activate them again with a code sent to this email address. Change your password if you have not yet.',
      };
  }
}

const NOT_YOU =
  'Sign in to Keydesk at once: deactivate your API keys (Settings › API Keys Management), change your password and sign out everywhere (Settings › Security), then contact Keydesk support.';

const NOT_YOU_LINK =
  'Use the link below (it works once, for 24 hours): after you sign in and confirm with your second factor, it deactivates every API key of the account you own and signs out every other browser. Then change your password and contact Keydesk support.';

/** The security email for `event`: its subject, plain-text and HTML parts. */
export function securityEmail(event: SecurityEvent, context: NoticeContext): RenderedEmail {
  const wording = wordingOf(event);
  const rows: Array<[string, string]> = [];
  if (wording.key) rows.push(['API key name', wording.key.name], ['API key', keyPrefix(wording.key.publicKey)]);
  rows.push(...(wording.facts ?? []));
  if (context.accountName) rows.push(['Account', context.accountName]);
  rows.push(['When', formatUtc(context.at)]);
  if (context.byAdministrator) rows.push(['By', 'A Keydesk administrator']);
  else rows.push(['From address', context.request.ip ?? 'Unknown'], ['Browser', describeBrowser(context.request.userAgent)]);

  const blocks: EmailBlock[] = [
    { kind: 'paragraph', text: wording.lead },
    { kind: 'facts', rows },
    ...(wording.extra ?? []),
    ...(wording.after ? [{ kind: 'paragraph' as const, text: wording.after }] : []),
  ];
  if (!context.byAdministrator)
    blocks.push({ kind: 'warning', title: 'If this was not you', text: context.notMeHref ? NOT_YOU_LINK : NOT_YOU });
  if (context.notMeHref)
    blocks.push({ kind: 'link', text: 'This wasn’t me — deactivate all keys and sign out other browsers', href: context.notMeHref });
  blocks.push({ kind: 'link', text: 'Open Keydesk', href: `${context.appUrl.replace(/\/+$/, '')}/settings/api-keys` });
  return renderEmail({
    subject: wording.subject,
    heading: wording.heading,
    blocks,
    footer: `Keydesk sends this security email to ${context.recipientEmail} about every change to your account's keys and sign-in; it cannot be turned off. Keydesk staff will never ask for your password, your codes or your API secret.`,
  });
}
