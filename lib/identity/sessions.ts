import { and, desc, eq, gt, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { auditEvents, userSessions } from '@/db/schema';
import type { LiveSession } from '@/db/queries/users';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { notFound, type Result } from '@/lib/platform/results';
import { notifyUser } from '@/lib/messaging/notify';
import { describeBrowser } from '@/lib/messaging/wording';

/**
 * Signed-in browsers. Each session cookie names its row here (SessionClaims.sessionId); a session
 * whose row is ended is refused at its next request (lib/web/auth.ts reads the row once per
 * request). The rows are also the memory of the addresses and browsers a person signs in from:
 * a sign-in from an address or a browser not seen for 90 days sends a security email.
 */

/** Sessions end after 12 hours at most, whatever the browser does. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** How long an address and a browser are remembered after they were last seen. */
export const SIGN_IN_MEMORY_MS = 90 * 24 * 60 * 60_000;
/** Last seen is written at most this often per session: reading a page should not mean writing a row. */
export const LAST_SEEN_EVERY_MS = 60_000;

/** "Chrome on Android": what a session list and a new-sign-in email call the browser. */
export const deviceOf = (userAgent: string | null) => describeBrowser(userAgent, { version: false });

/**
 * Records a new signed-in browser, in the sign-in's transaction (before its `sign_in.success`
 * audit row), and returns its id for the cookie. A sign-in from an address or a browser not among
 * the person's sessions of the last 90 days sends a security email — unless this is their very
 * first sign-in, which has nothing to compare with.
 */
export async function openSession(tx: Tx, userId: string, ctx: RequestContext, now = new Date()): Promise<string> {
  const device = deviceOf(ctx.userAgent);
  // Forgotten after 90 days: so "not seen in the last 90 days" is "not in the table".
  await tx
    .delete(userSessions)
    .where(and(eq(userSessions.userId, userId), lt(userSessions.lastSeenAt, new Date(now.getTime() - SIGN_IN_MEMORY_MS))));
  const [seen] = await tx
    .select({
      address: sql<boolean>`coalesce(bool_or(${userSessions.ip} is not distinct from ${ctx.ip}::text), false)`,
      browser: sql<boolean>`coalesce(bool_or(${userSessions.device} = ${device}::text), false)`,
    })
    .from(userSessions)
    .where(eq(userSessions.userId, userId));
  const known = seen?.address && seen.browser;
  const [row] = await tx
    .insert(userSessions)
    .values({ userId, userAgent: ctx.userAgent?.slice(0, 512) ?? null, device, ip: ctx.ip, createdAt: now, lastSeenAt: now })
    .returning({ id: userSessions.id });
  if (!known && (await hasSignedInBefore(tx, userId))) {
    const news = { newAddress: !seen?.address, newBrowser: !seen?.browser };
    await audit(tx, ctx, { action: 'sign_in.new_location', actorUserId: userId, details: { sessionId: row.id, ...news } });
    await notifyUser(tx, ctx, userId, { kind: 'new_sign_in', ...news }, { at: now });
  }
  return row.id;
}

/** Any earlier sign-in on record (the audit log keeps them longer than sessions are remembered). */
async function hasSignedInBefore(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ at: auditEvents.at })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorUserId, userId), eq(auditEvents.action, 'sign_in.success')))
    .limit(1);
  return row !== undefined;
}

/** Whether `touchSession` has anything to write: a minute has passed, or the address changed. */
export const isTouchDue = (state: LiveSession, ip: string | null, now: Date) =>
  now.getTime() - state.lastSeenAt.getTime() >= LAST_SEEN_EVERY_MS || (ip !== null && ip !== state.ip);

/** Last seen (time and address); a conditional write, so racing requests write once. */
export async function touchSession(db: Db, sessionId: string, ip: string | null, now = new Date()): Promise<void> {
  await db
    .update(userSessions)
    .set({ lastSeenAt: now, ...(ip !== null && { ip }) })
    .where(
      and(
        eq(userSessions.id, sessionId),
        isNull(userSessions.endedAt),
        or(
          lte(userSessions.lastSeenAt, new Date(now.getTime() - LAST_SEEN_EVERY_MS)),
          sql`${userSessions.ip} is distinct from ${ip}::text`,
        ),
      ),
    );
}

export interface SessionView {
  id: string;
  device: string;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  /** The browser asking. */
  current: boolean;
}

/** The person's signed-in browsers (not ended, not past the 12-hour limit), most recent first. */
export async function listSessions(db: Db, userId: string, currentId: string, now = new Date()): Promise<SessionView[]> {
  const rows = await db
    .select({
      id: userSessions.id,
      device: userSessions.device,
      ip: userSessions.ip,
      createdAt: userSessions.createdAt,
      lastSeenAt: userSessions.lastSeenAt,
    })
    .from(userSessions)
    .where(
      and(
        eq(userSessions.userId, userId),
        isNull(userSessions.endedAt),
        gt(userSessions.createdAt, new Date(now.getTime() - SESSION_MAX_AGE_SECONDS * 1000)),
      ),
    )
    .orderBy(desc(userSessions.lastSeenAt));
  return rows.map((row) => ({ ...row, current: row.id === currentId })).sort((a, b) => Number(b.current) - Number(a.current));
}

/** Ends one of the person's sessions; another person's session id (or a made-up one) is not found. */
export async function endSession(db: Db, userId: string, sessionId: string, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ endedAt: userSessions.endedAt, device: userSessions.device })
      .from(userSessions)
      .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId)))
      .for('update');
    if (!row) return notFound();
    if (row.endedAt) return { ok: true }; // ended already: a double submit
    await tx.update(userSessions).set({ endedAt: new Date() }).where(eq(userSessions.id, sessionId));
    await audit(tx, ctx, { action: 'session.ended', actorUserId: userId, details: { sessionId, device: row.device } });
    return { ok: true };
  });
}

/** Ends every session of the person but `keep` (every one when null); returns how many were on. */
export async function endSessions(tx: Tx, userId: string, keep: string | null, now = new Date()): Promise<number> {
  const ended = await tx
    .update(userSessions)
    .set({ endedAt: now })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt), keep ? ne(userSessions.id, keep) : undefined))
    .returning({ createdAt: userSessions.createdAt });
  const oldest = now.getTime() - SESSION_MAX_AGE_SECONDS * 1000;
  return ended.filter((row) => row.createdAt.getTime() > oldest).length;
}

/** "End all other sessions": every browser of the person but the one asking. */
export async function endOtherSessions(db: Db, userId: string, currentId: string, ctx: RequestContext): Promise<number> {
  return db.transaction(async (tx) => {
    const count = await endSessions(tx, userId, currentId);
    await audit(tx, ctx, { action: 'session.ended_others', actorUserId: userId, details: { sessions: count } });
    return count;
  });
}

/** "Sign out": this browser's session ends for good, not only its cookie. */
export async function closeSession(db: Db, userId: string, sessionId: string, ctx: RequestContext): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(userSessions)
      .set({ endedAt: new Date() })
      .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(userSessions.endedAt)));
    await audit(tx, ctx, { action: 'sign_out', actorUserId: userId });
  });
}
