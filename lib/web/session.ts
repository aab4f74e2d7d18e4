import 'server-only';
import { createHash } from 'node:crypto';
import { decode, encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { appUrl, ensureSecret } from '@/lib/platform/config';
import type { SessionClaims } from '@/lib/identity/session-claims';
import { timedStep } from '@/lib/platform/page-timing';
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

async function readSession(): Promise<DecodedSession | null> {
  const token = (await cookies()).get(sessionCookieName())?.value;
  return token ? decodeSession(token) : null;
}

type DecodedSession = { claims: SessionClaims; expiresAt: number };

/**
 * Sessions decoded before, by a hash of their token: next-auth derives its key (HKDF) on every
 * decode, the largest part of a page's session cost. Only tokens that decoded are kept, each
 * until its own expiry (checked on every hit); the claims are still checked against the
 * database by the caller. Bounded: the oldest entry goes first.
 */
const decoded = new Map<string, DecodedSession>();
const DECODED_MAX = 5_000;

const tokenKey = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Decoded once per request and token (React's `cache`): the layout, the page and the access
 * checks all ask. Keyed by the token itself, so a cookie re-issued within the request
 * (markSecondFactorPassed) is decoded afresh.
 */
const decodeSession = cache(async (token: string): Promise<DecodedSession | null> => {
  const key = tokenKey(token);
  const known = decoded.get(key);
  if (known) {
    if (known.expiresAt > Date.now()) return known;
    decoded.delete(key);
    return null;
  }
  try {
    const jwt = await timedStep('session', () => decode({ token, secret: authSecret() }));
    if (!jwt || typeof jwt.sub !== 'string' || typeof jwt.tv !== 'number' || typeof jwt.exp !== 'number') return null;
    // A cookie from before sessions were recorded names no session: it is not one any more.
    if (typeof jwt.sid !== 'string') return null;
    const claims: SessionClaims = { userId: jwt.sub, tokenVersion: jwt.tv, sessionId: jwt.sid };
    if (typeof jwt.sfa === 'number') claims.secondFactorAt = jwt.sfa;
    const session = { claims, expiresAt: jwt.exp * 1000 };
    if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, session);
    return session;
  } catch {
    return null; // tampered, or signed with a previous secret
  }
});

/** The claims of a valid, unexpired session cookie; the caller still checks them against the database. */
export async function readSessionClaims(): Promise<SessionClaims | null> {
  return (await readSession())?.claims ?? null;
}
