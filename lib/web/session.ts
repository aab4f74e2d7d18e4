import 'server-only';
import { decode, encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { appUrl, ensureSecret } from '@/lib/platform/config';
import type { SessionClaims } from '@/lib/identity/session-claims';

/** Sessions end after 12 hours at most, whatever the browser does. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

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

/** Starts a session once every factor has passed (lib/identity/sign-in.ts decides that). */
export async function startSession(claims: SessionClaims): Promise<void> {
  const token = await encode({
    token: { sub: claims.userId, tv: claims.tokenVersion },
    secret: authSecret(),
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  (await cookies()).set(sessionCookieName(), token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secureCookies(),
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

export async function endSession(): Promise<void> {
  (await cookies()).delete(sessionCookieName());
}

/** The claims of a valid, unexpired session cookie; the caller still checks them against the database. */
export async function readSessionClaims(): Promise<SessionClaims | null> {
  const token = (await cookies()).get(sessionCookieName())?.value;
  if (!token) return null;
  try {
    const jwt = await decode({ token, secret: authSecret() });
    if (!jwt || typeof jwt.sub !== 'string' || typeof jwt.tv !== 'number') return null;
    return { userId: jwt.sub, tokenVersion: jwt.tv };
  } catch {
    return null; // tampered, or signed with a previous secret
  }
}
