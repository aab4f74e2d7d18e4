import { z } from 'zod';
import { utcMinute } from '@/lib/platform/utc-time';

/**
 * When a key stops working. The owner picks a choice; the server turns it into an instant at the
 * moment of the request, in UTC. Every expiry is 00:00 UTC of a day, so "90 days" and a picked
 * date read the same way ("Expires 2027-03-03 00:00 UTC").
 */

export const EXPIRY_CHOICES = ['none', '30', '90', '365', 'date'] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

export const EXPIRY_CHOICE_LABELS: Record<ExpiryChoice, string> = {
  none: 'No expiry',
  '30': '30 days',
  '90': '90 days',
  '365': '365 days',
  date: 'On a date…',
};

/** The furthest a key may be set to expire: five years from today. */
export const MAX_EXPIRY_YEARS = 5;

const DAY_MS = 86_400_000;

export const isExpiryChoice = (value: string): value is ExpiryChoice => (EXPIRY_CHOICES as readonly string[]).includes(value);

/** 00:00 UTC of the day `days` after the UTC day `now` falls in. */
export function utcDaysAhead(now: Date, days: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + days * DAY_MS);
}

/** The latest allowed expiry: 00:00 UTC on this day five years on. */
export function latestExpiry(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear() + MAX_EXPIRY_YEARS, now.getUTCMonth(), now.getUTCDate()));
}

/** The date input's value for an instant ("2026-12-31"). */
export function expiryDateValue(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The date input's value ("2026-12-31") as the instant the key stops working: 00:00 UTC that day. */
export function parseExpiryDate(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || expiryDateValue(date) !== value ? null : date;
}

/** The two form fields as submitted: the choice (radio) and the date (used only for "On a date…"). */
export interface ExpiryInput {
  choice: string;
  date: string;
}

export type ExpiryOutcome = { ok: true; expiresAt: Date | null } | { ok: false; error: string };

export interface ExpiryRules {
  /** An edit may keep the key's current date even once it has passed (the key stays expired). */
  keep?: Date | null;
  /** For the edit form's parsing: the past-date rule needs the key, so the edit step applies it. */
  pastAllowed?: boolean;
}

/** The instant a choice means at `now`, or why it cannot be used. Pure: the form and the server share it. */
export function resolveExpiry({ choice, date }: ExpiryInput, now: Date, rules: ExpiryRules = {}): ExpiryOutcome {
  if (!isExpiryChoice(choice)) return { ok: false, error: 'Choose when the key expires' };
  if (choice === 'none') return { ok: true, expiresAt: null };
  if (choice !== 'date') return { ok: true, expiresAt: utcDaysAhead(now, Number(choice)) };
  const value = date.trim();
  if (value === '') return { ok: false, error: 'Enter the date the key expires' };
  const expiresAt = parseExpiryDate(value);
  if (!expiresAt) return { ok: false, error: 'Enter a valid date (YYYY-MM-DD)' };
  if (rules.keep && expiresAt.getTime() === rules.keep.getTime()) return { ok: true, expiresAt };
  if (expiresAt <= now && !rules.pastAllowed) return { ok: false, error: 'Choose a date in the future' };
  if (expiresAt > latestExpiry(now)) {
    return { ok: false, error: `Choose a date at most ${MAX_EXPIRY_YEARS} years ahead (by ${expiryDateValue(latestExpiry(now))})` };
  }
  return { ok: true, expiresAt };
}

/** The form fields in the shape `resolveExpiry` reads. A form without the choice (an older page) means no expiry. */
export function expiryInputFromForm(form: FormData): unknown {
  const choice = form.get('expiry');
  const date = form.get('expiresOn');
  return { choice: choice === null ? 'none' : choice, date: date ?? '' };
}

/** The server's verdict on the expiry fields, computed when the request is parsed (its clock, UTC). */
export function expirySchema(rules: ExpiryRules = {}) {
  return z
    .object({ choice: z.string({ error: 'Choose when the key expires' }), date: z.string({ error: 'Enter a date' }) })
    .transform((input, ctx) => {
      const outcome = resolveExpiry(input, new Date(), rules);
      if (!outcome.ok) {
        ctx.addIssue({ code: 'custom', message: outcome.error });
        return z.NEVER;
      }
      return outcome.expiresAt;
    });
}

/** "Expires 2027-03-03 00:00 UTC" / "No expiry", as the form, the secret step and the key page say it. */
export function expiryText(expiresAt: Date | null, now = new Date()): string {
  if (!expiresAt) return 'No expiry';
  return `${expiresAt <= now ? 'Expired' : 'Expires'} ${utcMinute(expiresAt)}`;
}
