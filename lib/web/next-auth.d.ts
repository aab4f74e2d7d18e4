import 'next-auth';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface User {
    /** The user's token version when the session began (see users.token_version). */
    tv?: number;
    /** The session's row in user_sessions. */
    sid?: string;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    tv?: number;
    /** The session's row in user_sessions (lib/identity/sessions.ts). */
    sid?: string;
    /** When the session last passed a second factor, epoch ms (see SessionClaims.secondFactorAt). */
    sfa?: number;
  }
}
