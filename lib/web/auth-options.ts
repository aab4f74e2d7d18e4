import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/lib/platform/database';
import { findUserWithLiveSession } from '@/db/queries/users';
import { NO_REQUEST } from '@/lib/platform/audit';
import { beginSignIn } from '@/lib/identity/sign-in';
import { authSecret, SESSION_MAX_AGE_SECONDS, sessionCookieName } from './session';

/**
 * next-auth owns the session format (an encrypted JWT in its cookie) and serves /api/auth/*.
 * Our sign-in pages use server actions (lib/identity/sign-in.ts) because the second factor is a second
 * step; this credentials provider is the same password check for clients of next-auth's API, and
 * it refuses anyone with two-factor authentication, who must use the sign-in page.
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    cookies: {
      sessionToken: {
        name: sessionCookieName(),
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure: sessionCookieName().startsWith('__Secure-') },
      },
    },
    pages: { signIn: '/sign-in' },
    providers: [
      CredentialsProvider({
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials) {
          const result = await beginSignIn(
            getDb(),
            { email: credentials?.email ?? '', password: credentials?.password ?? '', callbackUrl: '/settings' },
            NO_REQUEST,
            { secondFactorStep: false },
          );
          if (result.kind !== 'signed_in') return null;
          return { id: result.claims.userId, tv: result.claims.tokenVersion, sid: result.claims.sessionId };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user && 'tv' in user) token.tv = user.tv;
        if (user && 'sid' in user) token.sid = user.sid;
        return token;
      },
      async session({ session, token }) {
        // Re-read the user and the session: a disabled user, a stale token version or an ended session gets an empty session.
        const found = token.sub && token.sid ? await findUserWithLiveSession(getDb(), token.sub, token.sid) : null;
        const user = found?.session ? found.user : null;
        if (!user || user.disabled || user.tokenVersion !== token.tv) return { expires: session.expires };
        return { expires: session.expires, user: { email: user.email, name: user.name } };
      },
    },
  };
}
