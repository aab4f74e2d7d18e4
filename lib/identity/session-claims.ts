/** What a session cookie carries: who, which token version of theirs it was issued under, and which session. */
export interface SessionClaims {
  userId: string;
  tokenVersion: number;
  /** The row of this signed-in browser in user_sessions (lib/identity/sessions.ts): ending it ends the session. */
  sessionId: string;
  /**
   * When this session last passed a second factor (epoch ms): its sign-in's own code, or a later
   * step-up (lib/identity/step-up.ts). Absent for a session that never did.
   */
  secondFactorAt?: number;
}
