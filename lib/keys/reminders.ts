import { and, eq, gt, isNull, lte, notExists, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiKeys, keyReminders } from '@/db/schema';
import { keyEmailRecipients } from '@/lib/messaging/notify';
import { emailMessage, messageSender } from '@/lib/messaging/outbox';
import { reminderEmail, type ReminderKind } from '@/lib/messaging/reminder-emails';
import { audit, NO_REQUEST } from '@/lib/platform/audit';
import { appUrl } from '@/lib/platform/config';

/**
 * Reminders about a key: 7 days and 1 day before it expires, once it has expired, and once it
 * has sat 7 days without ever being activated. `dueReminders` is THE rule; `sendDueReminders`
 * is one pass of the job the server runs every minute (./reminder-job.ts).
 *
 * Exactly once, with any number of app processes and restarts: each reminder is a row of
 * `key_reminders` (unique per key, kind and the instant it is about), inserted in the transaction
 * that queues its emails — whoever inserts it sends, anyone else finds it there. The key row is
 * locked with SKIP LOCKED so two processes do not both work on one key; that only saves work.
 *
 * A pass sends what is due at that moment, so after downtime a key gets the one reminder that
 * fits now (1 day before, not 7 and 1). Reminders more than 7 days late are news to nobody and
 * are not sent. Revoked and suspended keys get none (nothing the owner can do); a deleted key's
 * row, and its reminders, are gone.
 */

const DAY_MS = 86_400_000;
const WARN_EARLY_MS = 7 * DAY_MS;
const WARN_LATE_MS = 1 * DAY_MS;
const NOT_ACTIVATED_AFTER_MS = 7 * DAY_MS;
/** How late a missed reminder is still sent (the server was down). */
const STALE_AFTER_MS = 7 * DAY_MS;

export interface ReminderColumns {
  status: 'active' | 'inactive';
  createdAt: Date;
  activatedAt: Date | null;
  expiresAt: Date | null;
  suspendedAt: Date | null;
  revokedAt: Date | null;
}

export interface DueReminder {
  kind: ReminderKind;
  /** The instant it is about: the expiry, or the creation for `not_activated`. */
  dueFor: Date;
}

/** The reminders due for a key at `now` (at most one about its expiry). */
export function dueReminders(key: ReminderColumns, now: Date): DueReminder[] {
  if (key.revokedAt || key.suspendedAt) return [];
  const due: DueReminder[] = [];
  const expired = key.expiresAt !== null && key.expiresAt <= now;
  if (key.expiresAt) {
    const left = key.expiresAt.getTime() - now.getTime();
    if (left <= 0) {
      if (-left < STALE_AFTER_MS) due.push({ kind: 'expired', dueFor: key.expiresAt });
    } else if (left <= WARN_LATE_MS) due.push({ kind: 'expires_in_1_day', dueFor: key.expiresAt });
    else if (left <= WARN_EARLY_MS) due.push({ kind: 'expires_in_7_days', dueFor: key.expiresAt });
  }
  const age = now.getTime() - key.createdAt.getTime();
  if (!expired && key.status === 'inactive' && key.activatedAt === null && age >= NOT_ACTIVATED_AFTER_MS) {
    if (age - NOT_ACTIVATED_AFTER_MS < STALE_AFTER_MS) due.push({ kind: 'not_activated', dueFor: key.createdAt });
  }
  return due;
}

const at = (now: Date, deltaMs: number) => new Date(now.getTime() + deltaMs);

/**
 * Keys that may have a reminder due and not yet sent: two range reads on partial indexes
 * (api_keys_expires_idx, api_keys_never_activated_idx), never the whole table. The kind computed
 * here only narrows the search; `dueReminders` decides, on the locked row.
 */
async function candidates(db: Db, now: Date, limit: number): Promise<Array<{ id: string; kind: ReminderKind; dueFor: Date }>> {
  const iso = now.toISOString();
  const expiryKind = sql<ReminderKind>`(case when ${apiKeys.expiresAt} <= ${iso}::timestamptz then 'expired'
    when ${apiKeys.expiresAt} <= ${at(now, WARN_LATE_MS).toISOString()}::timestamptz then 'expires_in_1_day'
    else 'expires_in_7_days' end)`;
  const unsent = (kind: typeof expiryKind | ReminderKind, dueFor: typeof apiKeys.expiresAt | typeof apiKeys.createdAt) =>
    notExists(
      db
        .select({ one: sql`1` })
        .from(keyReminders)
        .where(and(eq(keyReminders.apiKeyId, apiKeys.id), eq(keyReminders.dueFor, dueFor), sql`${keyReminders.kind} = ${kind}`)),
    );
  const usable = and(isNull(apiKeys.revokedAt), isNull(apiKeys.suspendedAt));
  const expiring = await db
    .select({ id: apiKeys.id, kind: expiryKind, dueFor: apiKeys.expiresAt })
    .from(apiKeys)
    .where(
      and(
        gt(apiKeys.expiresAt, at(now, -STALE_AFTER_MS)),
        lte(apiKeys.expiresAt, at(now, WARN_EARLY_MS)),
        usable,
        unsent(expiryKind, apiKeys.expiresAt),
      ),
    )
    .limit(limit);
  const idle = await db
    .select({ id: apiKeys.id, dueFor: apiKeys.createdAt })
    .from(apiKeys)
    .where(
      and(
        isNull(apiKeys.activatedAt),
        lte(apiKeys.createdAt, at(now, -NOT_ACTIVATED_AFTER_MS)),
        gt(apiKeys.createdAt, at(now, -NOT_ACTIVATED_AFTER_MS - STALE_AFTER_MS)),
        eq(apiKeys.status, 'inactive'),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
        usable,
        unsent('not_activated', apiKeys.createdAt),
      ),
    )
    .limit(limit);
  return [
    ...expiring.map((row) => ({ id: row.id, kind: row.kind, dueFor: row.dueFor! })),
    ...idle.map((row) => ({ ...row, kind: 'not_activated' as const })),
  ];
}

/** Sends one reminder if it is still due and nobody sent it; true when this call sent it. */
async function sendReminder(db: Db, candidate: { id: string; kind: ReminderKind; dueFor: Date }, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Locked by another process (sending this very reminder, or an edit of the key): the next
    // pass looks again. Gone: deleted meanwhile, nothing to say.
    const [key] = await tx.select().from(apiKeys).where(eq(apiKeys.id, candidate.id)).for('no key update', { skipLocked: true });
    if (!key) return false;
    const due = dueReminders(key, now).find((d) => d.kind === candidate.kind && d.dueFor.getTime() === candidate.dueFor.getTime());
    if (!due) return false;
    const [recorded] = await tx
      .insert(keyReminders)
      .values({ apiKeyId: key.id, kind: due.kind, dueFor: due.dueFor, sentAt: now })
      .onConflictDoNothing()
      .returning({ kind: keyReminders.kind });
    if (!recorded) return false;
    await audit(tx, NO_REQUEST, {
      action: 'api_key.reminder_sent',
      accountId: key.accountId,
      apiKeyId: key.id,
      details: { kind: due.kind },
      at: now,
    });
    // Owners who turned reminders off are not written to; the row still says it is handled,
    // so turning them back on does not send old news.
    for (const recipient of await keyEmailRecipients(tx, key.accountId, { reminders: true })) {
      const email = reminderEmail(due.kind, key, {
        recipientEmail: recipient.email,
        accountName: recipient.accountName,
        now,
        appUrl: appUrl(),
      });
      await messageSender().send(tx, emailMessage(recipient.id, recipient.email, email));
    }
    return true;
  });
}

/** One pass: every reminder due at `now`, batch by batch; the number this call sent. */
export async function sendDueReminders(db: Db, now = new Date(), batchSize = 100): Promise<number> {
  let sent = 0;
  for (;;) {
    let progress = 0;
    for (const candidate of await candidates(db, now, batchSize)) {
      if (await sendReminder(db, candidate, now)) progress++;
    }
    sent += progress;
    // Nothing new this batch: what is left is locked by another process or no longer due.
    if (progress === 0) return sent;
  }
}
