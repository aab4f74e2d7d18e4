import 'server-only';
import { decode, encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { appUrl, ensureSecret } from '@/lib/platform/config';
import type { SessionClaims } from '@/lib/identity/session-claims';
import { SESSION_MAX_AGE_SECONDS } from '@/lib/identity/sessions';

export { SESSION_MAX_AGE_SECONDS } from '@/lib/identity/sessions';

export function authSecret(): string {
  return ensureSecret('NEXTAUTH_SECRET', 'nextauth.secret');
}

function secureCookies(): boolean {
  return appUrl().startsWith('https://');
}

/** The same cookie next-auth itself reads and writes, so its /api/auth routes agree with us. */
export function sessionCookieName(): string {
  return secureCookies() ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
}

async function setSessionCookie(claims: SessionClaims, maxAge: number): Promise<void> {
  const token = await encode({
    token: {
      sub: claims.userId,
      tv: claims.tokenVersion,
      sid: claims.sessionId,
      ...(claims.secondFactorAt !== undefined && { sfa: claims.secondFactorAt }),
    },
    secret: authSecret(),
    maxAge,
  });
  (await cookies()).set(sessionCookieName(), token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secureCookies(),
    maxAge,
  });
}

/** Starts a session once every factor has passed (lib/identity/sign-in.ts decides that). */
export async function startSession(claims: SessionClaims): Promise<void> {
  await setSessionCookie(claims, SESSION_MAX_AGE_SECONDS);
}

/**
 * Records on the current session that it has just passed a second factor (an admin's step-up).
 * The cookie is re-issued with the same expiry: confirming it's you never lengthens a session.
 */
export async function markSecondFactorPassed(at: Date): Promise<boolean> {
  const current = await readSession();
  const left = current ? Math.floor((current.expiresAt - at.getTime()) / 1000) : 0;
  if (!current || left <= 0) return false;
  await setSessionCookie({ ...current.claims, secondFactorAt: at.getTime() }, left);
  return true;
}

export async function endSession(): Promise<void> {
  (await cookies()).delete(sessionCookieName());
}

async function readSession(): Promise<{ claims: SessionClaims; expiresAt: number } | null> {
  const token = (await cookies()).get(sessionCookieName())?.value;
  if (!token) return null;
  try {
    const jwt = await decode({ token, secret: authSecret() });
    if (!jwt || typeof jwt.sub !== 'string' || typeof jwt.tv !== 'number' || typeof jwt.exp !== 'number') return null;
    // A cookie from before sessions were recorded names no session: it is not one any more.
    if (typeof jwt.sid !== 'string') return null;
    const claims: SessionClaims = { userId: jwt.sub, tokenVersion: jwt.tv, sessionId: jwt.sid };
    if (typeof jwt.sfa === 'number') claims.secondFactorAt = jwt.sfa;
    return { claims, expiresAt: jwt.exp * 1000 };
  } catch {
    return null; // tampered, or signed with a previous secret
  }
}

/** The claims of a valid, unexpired session cookie; the caller still checks them against the database. */
export async function readSessionClaims(): Promise<SessionClaims | null> {
  return (await readSession())?.claims ?? null;
}
