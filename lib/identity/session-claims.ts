/** What a session cookie carries: who, and which token version of theirs it was issued under. */
export interface SessionClaims {
  userId: string;
  tokenVersion: number;
}
