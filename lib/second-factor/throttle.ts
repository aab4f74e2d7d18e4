import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { auditEvents, users } from '@/db/schema';
import { maxCodesPerHour } from '@/lib/platform/config';

/**
 * The limits on one person's second factor, shared by every flow and every app process (the
 * state is in the database):
 * - wrong codes in a row, across every challenge, impose a wait that grows (15 min, 1 h, 4 h,
 *   then 24 h for every further 10) and lock the second factor after 100 (NIST SP 800-63B
 *   5.2.2) until an administrator lifts it; a correct code starts the count again;
 * - codes sent by SMS or email are capped per channel per hour, so a known password or a
 *   session cannot flood a phone or a mailbox.
 */

const FAILURES_PER_WAIT = 10;
const WAITS_MS = [15 * 60_000, 60 * 60_000, 4 * 60 * 60_000, 24 * 60 * 60_000];
export const LOCK_AFTER_FAILURES = 100;
const SEND_WINDOW_MS = 60 * 60_000;

export type SecondFactorGate = { open: true } | { open: false; reason: 'waiting'; until: Date } | { open: false; reason: 'locked' };

/** The wait imposed when the count of wrong codes in a row reaches `failures`, if any. */
export function waitAfter(failures: number): number | null {
  if (failures === 0 || failures % FAILURES_PER_WAIT !== 0) return null;
  return WAITS_MS[Math.min(failures / FAILURES_PER_WAIT, WAITS_MS.length) - 1];
}

const gateOf = (row: { blockedUntil: Date | null; lockedAt: Date | null } | undefined, now: Date): SecondFactorGate => {
  if (row?.lockedAt) return { open: false, reason: 'locked' };
  if (row?.blockedUntil && row.blockedUntil > now) return { open: false, reason: 'waiting', until: row.blockedUntil };
  return { open: true };
};

/** Whether this person may enter (or be sent) a code now. */
export async function secondFactorGate(db: Db | Tx, userId: string, now: Date): Promise<SecondFactorGate> {
  const [row] = await db
    .select({ blockedUntil: users.secondFactorBlockedUntil, lockedAt: users.secondFactorLockedAt })
    .from(users)
    .where(eq(users.id, userId));
  return gateOf(row, now);
}

/** Counts one wrong code (atomically, so parallel submissions all count) and returns the gate it leaves. */
export async function recordWrongCode(tx: Tx, userId: string, now: Date): Promise<SecondFactorGate> {
  const [row] = await tx
    .update(users)
    .set({ secondFactorFailures: sql`${users.secondFactorFailures} + 1` })
    .where(eq(users.id, userId))
    .returning({ failures: users.secondFactorFailures });
  if (!row) return { open: true };
  const wait = waitAfter(row.failures);
  const lock = row.failures >= LOCK_AFTER_FAILURES;
  if (wait === null && !lock) return { open: true };
  const [after] = await tx
    .update(users)
    .set({
      ...(wait !== null && { secondFactorBlockedUntil: new Date(now.getTime() + wait) }),
      ...(lock && { secondFactorLockedAt: sql`coalesce(${users.secondFactorLockedAt}, ${now.toISOString()}::timestamptz)` }),
    })
    .where(eq(users.id, userId))
    .returning({ blockedUntil: users.secondFactorBlockedUntil, lockedAt: users.secondFactorLockedAt });
  return gateOf(after, now);
}

/** A correct code: the count of wrong ones in a row starts again. */
export async function recordRightCode(tx: Tx, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ secondFactorFailures: 0, secondFactorBlockedUntil: null })
    .where(and(eq(users.id, userId), gt(users.secondFactorFailures, 0)));
}

/** "14:05 UTC" today, "2026-12-04 14:05 UTC" on another day: a wait can outlast the day. */
export function formatUtcTime(at: Date, now = new Date()): string {
  const time = `${at.toISOString().slice(11, 16)} UTC`;
  return at.toISOString().slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${at.toISOString().slice(0, 10)} ${time}`;
}

/** What a code step says when the gate is closed. */
export function closedGateMessage(gate: Extract<SecondFactorGate, { open: false }>): string {
  return gate.reason === 'locked'
    ? 'Two-factor authentication on this account is locked after too many incorrect codes. Contact support to unlock it.'
    : `Too many incorrect codes. Try again after ${formatUtcTime(gate.until)}.`;
}

/**
 * When this person may next be sent a code on `channel`, or null if now: a channel that has
 * carried the hourly cap's worth of codes waits until the oldest of them is an hour old.
 */
export async function nextSendAllowedAt(db: Db | Tx, userId: string, channel: 'sms' | 'email', now: Date): Promise<Date | null> {
  const cap = maxCodesPerHour();
  const sent = await db
    .select({ at: auditEvents.at })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.actorUserId, userId),
        eq(auditEvents.action, 'code.sent'),
        gt(auditEvents.at, new Date(now.getTime() - SEND_WINDOW_MS)),
        sql`${auditEvents.details}->>'channel' = ${channel}`,
      ),
    )
    .orderBy(desc(auditEvents.at))
    .limit(cap);
  return sent.length < cap ? null : new Date(sent[cap - 1].at.getTime() + SEND_WINDOW_MS);
}
