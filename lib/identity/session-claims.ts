/** What a session cookie carries: who, and which token version of theirs it was issued under. */
export interface SessionClaims {
  userId: string;
  tokenVersion: number;
  /**
   * When this session last passed a second factor (epoch ms): its sign-in's own code, or a later
   * step-up (lib/identity/step-up.ts). Absent for a session that never did.
   */
  secondFactorAt?: number;
}
