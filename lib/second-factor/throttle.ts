import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { DEFAULT_MAX_CODES_PER_15_MIN, maxCodesPer15Min } from '@/lib/platform/config';

/**
 * Limits per person across every flow and restart, read from the audit trail (so all app
 * processes agree): restarting a sign-in or a request must not buy fresh code guesses, and a
 * known password must not let anyone flood a phone or mailbox with codes.
 */
const THROTTLE_WINDOW_MS = 15 * 60_000;
const MAX_CODE_FAILURES_PER_WINDOW = 10;
export const DEFAULT_CODES_SENT_PER_WINDOW = DEFAULT_MAX_CODES_PER_15_MIN;

/** Codes one person may be sent per window; `KEYDESK_MAX_CODES_PER_15_MIN` overrides. */
function maxCodesSentPerWindow(): number {
  return maxCodesPer15Min();
}

async function recentEvents(db: Db | Tx, userId: string, actions: string[], now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.actorUserId, userId),
        inArray(auditEvents.action, actions),
        gt(auditEvents.at, new Date(now.getTime() - THROTTLE_WINDOW_MS)),
      ),
    );
  return Number(row?.n ?? 0);
}

export async function tooManyCodeFailures(db: Db | Tx, userId: string, now: Date): Promise<boolean> {
  return (await recentEvents(db, userId, ['code.failed', 'code.locked'], now)) >= MAX_CODE_FAILURES_PER_WINDOW;
}

export async function tooManyCodesSent(db: Db | Tx, userId: string, now: Date): Promise<boolean> {
  return (await recentEvents(db, userId, ['code.sent'], now)) >= maxCodesSentPerWindow();
}

export const THROTTLED_FAILURES_MESSAGE = 'Too many incorrect codes recently. Wait 15 minutes and try again.';
