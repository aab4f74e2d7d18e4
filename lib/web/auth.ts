import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb } from '@/lib/platform/database';
import { findUserSummary, type UserSummary } from '@/db/queries/users';
import type { OwnerContext } from '@/lib/identity/owner';
import { readSessionClaims } from './session';
import { safeReturnPath } from '@/lib/identity/return-path';

/**
 * The signed-in user, re-read from the database on every request: a disabled user or an old
 * token version (password changed, signed out everywhere) has no session, whatever the JWT says.
 */
export const getCurrentUser = cache(async (): Promise<UserSummary | null> => {
  const claims = await readSessionClaims();
  if (!claims) return null;
  const user = await findUserSummary(getDb(), claims.userId);
  if (!user || user.disabled || user.tokenVersion !== claims.tokenVersion) return null;
  return user;
});

export async function requireUser(returnTo = '/settings'): Promise<UserSummary> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`);
  return user;
}

export type OwnerAccess = { ok: true; owner: OwnerContext } | { ok: false; user: UserSummary };

/** API key pages: only the owner of a Prime Liquidity account. */
export async function ownerAccess(returnTo = '/settings/api-keys'): Promise<OwnerAccess> {
  const user = await requireUser(returnTo);
  const m = user.membership;
  if (user.role === 'admin' || !m || m.role !== 'owner' || m.accountType !== 'prime') return { ok: false, user };
  return { ok: true, owner: { user, accountId: m.accountId, accountName: m.accountName } };
}

/** For server actions: anyone but the owner is sent to the page that explains the refusal. */
export async function requireOwner(): Promise<OwnerContext> {
  const access = await ownerAccess();
  if (!access.ok) redirect('/settings/api-keys');
  return access.owner;
}

/** Admin pages answer 404 to everyone else, so they do not even reveal that they exist. */
export async function requireAdmin(): Promise<UserSummary> {
  const user = await getCurrentUser();
  if (!user || user.role !== 'admin') notFound();
  return user;
}
