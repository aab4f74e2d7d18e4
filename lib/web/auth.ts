import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { after } from 'next/server';
import { cache } from 'react';
import { isTouchDue, touchSession } from '@/lib/identity/sessions';
import { log } from '@/lib/platform/log';
import { requestContext } from './request-context';
import { getDb } from '@/lib/platform/database';
import { timedStep } from '@/lib/platform/page-timing';
import { findUserWithLiveSession, type UserSummary } from '@/db/queries/users';
import type { OwnerContext } from '@/lib/identity/owner';
import { readSessionClaims } from './session';
import { safeReturnPath } from '@/lib/identity/return-path';
import { isSecondFactorFresh } from '@/lib/identity/step-up';

/**
 * The signed-in user, re-read from the database on every request: a disabled user, an old token
 * version (password changed, signed out everywhere) or an ended session (Settings › Security)
 * has no session, whatever the JWT says. Once per request (React `cache`), one statement: the
 * user, their account, and the session's row by its primary key.
 */
export const getCurrentUser = cache(async (): Promise<UserSummary | null> => {
  const claims = await readSessionClaims();
  if (!claims) return null;
  const db = getDb();
  const found = await timedStep('user', () => findUserWithLiveSession(db, claims.userId, claims.sessionId));
  if (!found?.session || found.user.disabled || found.user.tokenVersion !== claims.tokenVersion) return null;
  const { user, session } = found;
  const { ip } = await requestContext();
  const now = new Date();
  if (isTouchDue(session, ip, now)) afterResponse(() => touchSession(db, claims.sessionId, ip, now));
  return user;
});

/** Runs `work` once the response is sent (Next's `after`), or at once outside a request; failures are only logged. */
function afterResponse(work: () => Promise<void>): void {
  const run = () => work().catch((error: unknown) => log.warn({ err: error }, 'session last-seen update failed'));
  try {
    after(run);
  } catch {
    void run();
  }
}

/** The id of the session asking (for "this browser" and "end all other sessions"). */
export async function currentSessionId(): Promise<string | null> {
  return (await getCurrentUser()) ? ((await readSessionClaims())?.sessionId ?? null) : null;
}

export async function requireUser(returnTo = '/settings'): Promise<UserSummary> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`);
  return user;
}

export type OwnerAccess = { ok: true; owner: OwnerContext } | { ok: false; user: UserSummary };

/**
 * Who may use API Keys Management: the owner of a Prime Liquidity account, nobody else (not an
 * admin either). The pages and actions check it; the settings navigation only offers the item to them.
 */
export function managesApiKeys(user: UserSummary): boolean {
  const m = user.membership;
  return user.role !== 'admin' && m?.role === 'owner' && m.accountType === 'prime';
}

/** API key pages: only the owner of a Prime Liquidity account. */
export async function ownerAccess(returnTo = '/settings/api-keys'): Promise<OwnerAccess> {
  const user = await requireUser(returnTo);
  const m = user.membership;
  if (!m || !managesApiKeys(user)) return { ok: false, user };
  return { ok: true, owner: { user, accountId: m.accountId, accountName: m.accountName } };
}

/** For server actions: anyone but the owner is sent to the owner-only `page`, which explains the refusal. */
export async function requireOwner(page = '/settings/api-keys'): Promise<OwnerContext> {
  const access = await ownerAccess(page);
  if (!access.ok) redirect(page);
  return access.owner;
}

/**
 * Who is asking for the admin console: anyone but an admin gets a 404 (thrown here), so the
 * console does not even reveal that it exists. An admin without a second factor gets no further
 * than setting one up; one with a factor is `fresh` when this session passed it within the last
 * 10 minutes (lib/identity/step-up.ts), which suspend, revoke, lift and export require.
 */
export type AdminAccess = { kind: 'ok'; admin: UserSummary; fresh: boolean } | { kind: 'needs_two_factor'; admin: UserSummary };

/** The admin's access, or null for anyone else (a route answers that itself). */
export async function findAdminAccess(now = new Date()): Promise<AdminAccess | null> {
  const user = await getCurrentUser();
  if (!user || user.role !== 'admin') return null;
  if (!user.hasSms && !user.hasTotp) return { kind: 'needs_two_factor', admin: user };
  const claims = await readSessionClaims();
  return { kind: 'ok', admin: user, fresh: isSecondFactorFresh(claims?.secondFactorAt, now) };
}

export async function adminAccess(): Promise<AdminAccess> {
  return (await findAdminAccess()) ?? notFound();
}

/** Where an admin without a second factor is sent: Security, then back to the console. */
export const ADMIN_TWO_FACTOR_SETUP_PATH = `/settings/security?returnTo=${encodeURIComponent('/admin')}`;

/** The "confirm it's you" step, returning to `returnTo` (an admin page) once passed. */
export const stepUpHref = (returnTo: string) => `/admin/step-up?next=${encodeURIComponent(returnTo)}`;

/** Whether this admin's session passed its second factor in the last 10 minutes (false for anyone else). */
export async function isFreshAdminSession(): Promise<boolean> {
  const access = await findAdminAccess();
  return access?.kind === 'ok' && access.fresh;
}

/** Admin pages: 404 to everyone else; an admin without 2FA is sent to turn it on first. */
export async function requireAdmin(): Promise<UserSummary> {
  const access = await adminAccess();
  if (access.kind !== 'ok') redirect(ADMIN_TWO_FACTOR_SETUP_PATH);
  return access.admin;
}

/** The page of a sensitive admin step: without a fresh second factor, confirm it's you first, then come back. */
export async function requireFreshAdmin(returnTo: string): Promise<UserSummary> {
  const access = await adminAccess();
  if (access.kind !== 'ok') redirect(ADMIN_TWO_FACTOR_SETUP_PATH);
  if (!access.fresh) redirect(stepUpHref(returnTo));
  return access.admin;
}
