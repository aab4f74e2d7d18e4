import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { challenges, notificationSettings } from '@/db/schema';
import type { OwnerContext } from '@/lib/identity/owner';
import { addressNoticeEmail, type AddressChange } from '@/lib/messaging/address-notices';
import { emailMessage, messageSender } from '@/lib/messaging/outbox';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { appUrl } from '@/lib/platform/config';
import { refuse, refuseFields, type Result } from '@/lib/platform/results';
import { withPending } from './two-factor';
import {
  currentChallenge,
  resendCode,
  startChallenge,
  verifyChallenge,
  type Challenge,
  type ChallengeSubject,
} from '@/lib/second-factor/challenges';

/**
 * An owner's email choices (Settings › Notifications). Security emails about keys and sign-in
 * always go out; key reminders can be turned off; a second address can be added for key emails
 * (security emails about keys, and reminders). The second address receives nothing until the
 * owner types back a code sent to it, counted and limited like every other code
 * (lib/second-factor/challenges.ts); a confirmed address stays until removed or replaced by
 * another confirmed one. Each change is audited, and the owner's own address is told.
 */

export interface NotificationSettings {
  remindersEnabled: boolean;
  /** Confirmed: it receives key emails. */
  secondEmail: string | null;
}

const DEFAULTS: NotificationSettings = { remindersEnabled: true, secondEmail: null };

export async function notificationSettingsOf(db: Db | Tx, userId: string): Promise<NotificationSettings> {
  const [row] = await db
    .select({
      remindersEnabled: notificationSettings.remindersEnabled,
      secondEmail: notificationSettings.secondEmail,
      confirmedAt: notificationSettings.secondEmailConfirmedAt,
    })
    .from(notificationSettings)
    .where(eq(notificationSettings.userId, userId));
  if (!row) return DEFAULTS;
  return { remindersEnabled: row.remindersEnabled, secondEmail: row.confirmedAt ? row.secondEmail : null };
}

/** Writes some of a person's settings, creating their row with the defaults for the rest. */
async function saveSettings(tx: Tx, userId: string, values: Partial<typeof notificationSettings.$inferInsert>): Promise<void> {
  await tx
    .insert(notificationSettings)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: notificationSettings.userId, set: { ...values, updatedAt: sql`now()` } });
}

export const remindersSchema = z.object({ reminders: z.enum(['on', 'off'], { error: 'Choose whether to get reminders' }) });

export async function setReminders(db: Db, owner: OwnerContext, enabled: boolean, ctx: RequestContext): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await notificationSettingsOf(tx, owner.user.id);
    await saveSettings(tx, owner.user.id, { remindersEnabled: enabled });
    if (before.remindersEnabled === enabled) return; // a second submit of the same choice changes nothing
    await audit(tx, ctx, {
      action: 'notifications.reminders_changed',
      actorUserId: owner.user.id,
      accountId: owner.accountId,
      details: { enabled },
    });
  });
}

/** The second address as typed: one address, lower-cased. */
export const secondEmailSchema = z.object({
  email: z
    .string({ error: 'Enter an email address' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter an email address')
    .max(254, 'Enter an address of at most 254 characters')
    .pipe(z.email('Enter an email address such as name@example.com')),
});

const subject = (userId: string): ChallengeSubject => ({ userId, purpose: 'notification_email', subjectId: null });

/** The address waiting for its code, for the page. */
export function pendingSecondEmail(db: Db | Tx, userId: string): Promise<Challenge | null> {
  return currentChallenge(db, subject(userId));
}

/** Step 1: a code to the new address. Nothing changes until it comes back. */
export async function startSecondEmailConfirmation(db: Db, owner: OwnerContext, email: string, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    if (email === owner.user.email.toLowerCase()) {
      return refuseFields('invalid', { email: ['This is your sign-in address: key emails already go to it.'] });
    }
    const settings = await notificationSettingsOf(tx, owner.user.id);
    if (settings.secondEmail === email)
      return refuseFields('invalid', { email: ['This address is already your confirmed second address.'] });
    await startChallenge(tx, ctx, { ...subject(owner.user.id), method: 'email', destination: email });
    return { ok: true };
  });
}

export function resendSecondEmailCode(db: Db, owner: OwnerContext, ctx: RequestContext): Promise<Result> {
  return withPending(db, owner.user.id, 'notification_email', (tx, challenge) => resendCode(tx, ctx, challenge));
}

/** Tells the person's own address that a second address was added or removed. */
async function tellOwner(tx: Tx, ctx: RequestContext, owner: OwnerContext, change: AddressChange, secondEmail: string, at: Date) {
  const email = addressNoticeEmail(change, { recipientEmail: owner.user.email, secondEmail, at, request: ctx, appUrl: appUrl() });
  await messageSender().send(tx, emailMessage(owner.user.id, owner.user.email, email));
}

/** Step 2: the code from the new address; it becomes the second address at once. */
export function confirmSecondEmail(db: Db, owner: OwnerContext, code: string, ctx: RequestContext, now = new Date()): Promise<Result> {
  return withPending(db, owner.user.id, 'notification_email', async (tx, challenge) => {
    const verdict = await verifyChallenge(tx, ctx, challenge, code, now);
    if (!verdict.ok) {
      return verdict.reason === 'exhausted' ? refuse('exhausted', 'Too many incorrect codes — enter the address again.') : verdict;
    }
    const address = challenge.destination!;
    await saveSettings(tx, owner.user.id, { secondEmail: address, secondEmailConfirmedAt: now });
    await audit(tx, ctx, {
      action: 'notifications.second_email_added',
      actorUserId: owner.user.id,
      accountId: owner.accountId,
      details: { address },
    });
    await tellOwner(tx, ctx, owner, 'added', address, now);
    return { ok: true };
  });
}

/** Removes the second address (and any address waiting for its code). */
export async function removeSecondEmail(db: Db, owner: OwnerContext, ctx: RequestContext, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(challenges)
      .set({ status: 'void' })
      .where(and(eq(challenges.userId, owner.user.id), eq(challenges.purpose, 'notification_email'), eq(challenges.status, 'pending')));
    const [row] = await tx
      .select({ secondEmail: notificationSettings.secondEmail, confirmedAt: notificationSettings.secondEmailConfirmedAt })
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, owner.user.id))
      .for('update');
    if (!row?.secondEmail || !row.confirmedAt) return; // nothing to remove (a second submit)
    await saveSettings(tx, owner.user.id, { secondEmail: null, secondEmailConfirmedAt: null });
    await audit(tx, ctx, {
      action: 'notifications.second_email_removed',
      actorUserId: owner.user.id,
      accountId: owner.accountId,
      details: { address: row.secondEmail },
    });
    await tellOwner(tx, ctx, owner, 'removed', row.secondEmail, now);
  });
}
