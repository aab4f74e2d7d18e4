import type { RequestContext } from '@/lib/platform/audit';
import { renderEmail, type RenderedEmail } from './email-template';
import { describeBrowser, formatUtc } from './wording';

/**
 * The security email to a person's own address when the second address for key emails is
 * confirmed or removed: who else now reads (or stopped reading) about their keys is theirs to know.
 */

export type AddressChange = 'added' | 'removed';

export interface AddressNoticeContext {
  recipientEmail: string;
  secondEmail: string;
  at: Date;
  request: RequestContext;
  appUrl: string;
}

const WORDING: Record<AddressChange, { subject: string; lead: (address: string) => string }> = {
  added: {
    subject: 'A second address now gets your API key emails',
    lead: (address) =>
      `${address} was confirmed as a second address for your Keydesk API key emails: from now on it also receives the security emails and reminders about your account's keys.`,
  },
  removed: {
    subject: 'Your second address for API key emails was removed',
    lead: (address) => `${address} no longer receives the emails about your account's API keys.`,
  },
};

export function addressNoticeEmail(change: AddressChange, context: AddressNoticeContext): RenderedEmail {
  const wording = WORDING[change];
  return renderEmail({
    subject: wording.subject,
    heading: wording.subject,
    blocks: [
      { kind: 'paragraph', text: wording.lead(context.secondEmail) },
      {
        kind: 'facts',
        rows: [
          ['Second address', context.secondEmail],
          ['When', formatUtc(context.at)],
          ['From address', context.request.ip ?? 'Unknown'],
          ['Browser', describeBrowser(context.request.userAgent)],
        ],
      },
      {
        kind: 'warning',
        title: 'If this was not you',
        text: 'Sign in to Keydesk at once: check Settings › Notifications, change your password and sign out everywhere (Settings › Security), then contact Keydesk support.',
      },
      { kind: 'link', text: 'Open Settings › Notifications', href: `${context.appUrl.replace(/\/+$/, '')}/settings/notifications` },
    ],
    footer: `Keydesk sends this security email to ${context.recipientEmail} about every change to where your key emails go; it cannot be turned off. Keydesk staff will never ask for your password, your codes or your API secret.`,
  });
}
