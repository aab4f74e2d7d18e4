import type { challenges } from '@/db/schema';
import type { RequestContext } from '@/lib/platform/audit';
import { renderEmail, type RenderedEmail } from './email-template';
import { describeBrowser, formatUtc, keyPrefix } from './wording';

/**
 * What a one-time code message says: the code, what it confirms (naming the key, when there is
 * one), when it expires, and that staff never ask for it. SMS stays short; email uses the one
 * template. The first words ("123456 is the code to …") are the same on both channels.
 */

export type CodePurpose = (typeof challenges.$inferSelect)['purpose'];

/** The key a code is about, as far as it exists yet (a key being created has no API key yet). */
export interface CodeSubject {
  name: string;
  publicKey?: string | null;
}

const PURPOSE_TEXT: Record<CodePurpose, string> = {
  sign_in: 'your Keydesk sign-in code',
  key_creation: 'the code to confirm your new Keydesk API key',
  key_activation: 'the code to activate your Keydesk API key',
  sms_enrolment: 'the code to turn on SMS two-factor authentication on Keydesk',
  two_factor_disable: 'the code to turn off two-factor authentication on Keydesk',
  key_edit: 'the code to confirm the changes to your Keydesk API key',
  key_deletion: 'the code to confirm deleting your Keydesk API key',
  admin_step_up: 'the code to confirm an administrator action on Keydesk',
  notification_email: 'the code to confirm this address for Keydesk API key emails',
  lock_down: 'the code to deactivate all your Keydesk API keys',
  key_rotation: 'the code to rotate the secret of your Keydesk API key',
};

const SUBJECTS: Record<CodePurpose, string> = {
  sign_in: 'Your Keydesk sign-in code',
  key_creation: 'Your code to confirm a new API key',
  key_activation: 'Your code to activate an API key',
  sms_enrolment: 'Your code to turn on SMS two-factor authentication',
  two_factor_disable: 'Your code to turn off two-factor authentication',
  key_edit: 'Your code to confirm changes to an API key',
  key_deletion: 'Your code to confirm deleting an API key',
  admin_step_up: 'Your code to confirm an administrator action',
  notification_email: 'Your code to confirm this address for API key emails',
  lock_down: 'Your code to deactivate all API keys',
  key_rotation: 'Your code to rotate the secret of an API key',
};

const SMS_NAME_MAX = 24;

// ASCII "...": one non-GSM character ("…") would make the whole SMS Unicode, cutting a part to 70 characters.
const shortName = (name: string) => (name.length > SMS_NAME_MAX ? `${name.slice(0, SMS_NAME_MAX - 3)}...` : name);

/** "123456 is the code to activate your Keydesk API key "Bot"": the sentence both channels open with. */
function opening(code: string, purpose: CodePurpose, subject: CodeSubject | null, name = (n: string) => n): string {
  return `${code} is ${PURPOSE_TEXT[purpose]}${subject ? ` "${name(subject.name)}"` : ''}.`;
}

/** One SMS: the code, what it confirms, the expiry, the warning; the key's name shortened. */
export function codeSms(code: string, purpose: CodePurpose, subject: CodeSubject | null): string {
  return `${opening(code, purpose, subject, shortName)} Expires in 5 min. Keydesk staff will never ask you for it.`;
}

export interface CodeEmailContext {
  recipientEmail: string;
  sentAt: Date;
  expiresAt: Date;
  request: RequestContext;
}

export function codeEmail(code: string, purpose: CodePurpose, subject: CodeSubject | null, context: CodeEmailContext): RenderedEmail {
  const rows: Array<[string, string]> = [];
  if (subject) rows.push(['API key name', subject.name]);
  if (subject?.publicKey) rows.push(['API key', keyPrefix(subject.publicKey)]);
  rows.push(
    ['Requested', formatUtc(context.sentAt)],
    ['From address', context.request.ip ?? 'Unknown'],
    ['Browser', describeBrowser(context.request.userAgent)],
    ['Expires', `${formatUtc(context.expiresAt)} (in 5 minutes)`],
  );
  return renderEmail({
    subject: subject ? `${SUBJECTS[purpose]}: “${subject.name}”` : SUBJECTS[purpose],
    heading: SUBJECTS[purpose],
    blocks: [
      { kind: 'paragraph', text: opening(code, purpose, subject) },
      { kind: 'code', label: 'Your code', code },
      { kind: 'facts', rows },
      { kind: 'warning', title: 'Never share this code', text: NEVER_SHARE[purpose === 'notification_email' ? 'newAddress' : 'account'] },
    ],
    footer:
      purpose === 'notification_email'
        ? `Keydesk sent this code to ${context.recipientEmail} because a Keydesk account owner asked for their API key emails to come here too.`
        : `Keydesk sent this code to ${context.recipientEmail} because it was asked for on your account.`,
  });
}

/**
 * A code confirming a second address goes to someone who may not hold the account at all (a
 * colleague, a team inbox): their worry is unwanted email, not a stolen password.
 */
const NEVER_SHARE = {
  account:
    'Keydesk staff will never ask you for it. If you did not ask for this code, someone may know your password: change it now (Settings › Security) and contact Keydesk support.',
  newAddress:
    'Keydesk staff will never ask you for it. If you did not expect this email, ignore it: this address gets nothing from Keydesk unless the code is entered.',
};
