import { createHmac, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { notMeLinks } from '@/db/schema';
import { randomToken } from '@/lib/platform/crypto';
import { codeHashKey } from '@/lib/platform/keyring';

/**
 * The "This wasn't me" link of every security email: `/settings/security/not-me/<token>`. The
 * token is random; only its keyed hash is stored (a database dump holds no usable link), with
 * whose link it is, for which account, and until when. It is good for one use, for 24 hours, and
 * only for the person it was sent to: it opens the lock-down step (lib/keys/lock-down.ts), which
 * still wants that person signed in and a second-factor code.
 */

export const NOT_ME_LINK_TTL_MS = 24 * 60 * 60_000;
/** The token's length in the URL: anything else is not a link of ours, without a database read. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const notMePath = (token: string) => `/settings/security/not-me/${token}`;

/** A token as a link can carry it, or null: anything else is not a link of ours. */
export const linkTokenOf = (value: unknown): string | null => (typeof value === 'string' && TOKEN_PATTERN.test(value) ? value : null);

const hashToken = (token: string) => createHmac('sha256', codeHashKey()).update(`not-me:${token}`).digest('base64url');

/** Issues a link for `userId` (and the account whose keys it may deactivate), in the email's transaction. */
export async function issueNotMeLink(tx: Tx, userId: string, accountId: string | null, now = new Date()): Promise<string> {
  const token = randomToken(32);
  await tx
    .insert(notMeLinks)
    .values({ tokenHash: hashToken(token), userId, accountId, expiresAt: new Date(now.getTime() + NOT_ME_LINK_TTL_MS) });
  return token;
}

export type NotMeLink = typeof notMeLinks.$inferSelect;

/**
 * What a link's page may say. `invalid` covers a made-up token and another person's link alike,
 * so a link reveals nothing to anyone but the person it was sent to.
 */
export type NotMeLinkState =
  { status: 'valid'; link: NotMeLink } | { status: 'used'; usedAt: Date } | { status: 'expired' } | { status: 'invalid' };

/** The link `token` names, as `userId` may see it; `lock` takes its row for the rest of the transaction. */
export async function readNotMeLink(
  db: Db | Tx,
  token: unknown,
  userId: string,
  { now = new Date(), lock = false }: { now?: Date; lock?: boolean } = {},
): Promise<NotMeLinkState> {
  if (linkTokenOf(token) === null) return { status: 'invalid' };
  const hash = hashToken(token as string);
  const query = db.select().from(notMeLinks).where(eq(notMeLinks.tokenHash, hash));
  const [link] = lock ? await query.for('update') : await query;
  // The lookup is by hash; the compare is constant-time anyway, like every other token's.
  if (!link || !timingSafeEqual(Buffer.from(link.tokenHash), Buffer.from(hash)) || link.userId !== userId) return { status: 'invalid' };
  if (link.usedAt) return { status: 'used', usedAt: link.usedAt };
  if (link.expiresAt.getTime() <= now.getTime()) return { status: 'expired' };
  return { status: 'valid', link };
}

/** Marks the link used (in the lock-down's transaction, after `readNotMeLink(..., { lock: true })`). */
export async function useNotMeLink(tx: Tx, linkId: string, now = new Date()): Promise<void> {
  await tx.update(notMeLinks).set({ usedAt: now }).where(eq(notMeLinks.id, linkId));
}
