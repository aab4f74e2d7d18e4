import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * One-time codes sent by SMS or email. Everything here is pure: the caller passes the clock and
 * persists the state (increments `failedAttempts` on 'wrong', sets `consumedAt` on success), so
 * that two app processes sharing one database agree on attempts and expiry.
 */

export const CODE_TTL_MS = 5 * 60_000;
export const RESEND_AFTER_MS = 2 * 60_000;
export const MAX_FAILED_ATTEMPTS = 5;

const CODE_FORMAT = /^\d{6}$/;

export interface CodeState {
  codeHash: string | null;
  sentAt: Date | null;
  expiresAt: Date | null;
  failedAttempts: number;
  consumedAt: Date | null;
  /** Set while a send was held back (a cap or a wait): no code goes out before it. */
  sendBlockedUntil?: Date | null;
}

export type CodeCheck =
  { ok: true } | { ok: false; reason: 'expired' | 'used' | 'locked' } | { ok: false; reason: 'wrong'; attemptsLeft: number };

export type CodeFailure = Extract<CodeCheck, { ok: false }>;

/** Six ASCII digits: anything else is still a guess (counted), but never compared as a code. */
export const isWellFormedCode = (code: string) => CODE_FORMAT.test(code);

/** Six uniformly random digits, zero-padded. */
export function generateCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * Keyed hash of a code. Only the hash is stored, so a database leak does not reveal live codes;
 * the context (e.g. the pending creation's id) stops a code sent for one challenge from being
 * accepted for another.
 */
export function hashCode(code: string, context: string, key: Buffer): string {
  return createHmac('sha256', key).update(`${context}:${code}`).digest('base64url');
}

/**
 * A fresh code for a (re)send. The caller stores `codeHash`, `sentAt`, `expiresAt` and must keep
 * `failedAttempts` as it is: resetting it on resend would give unlimited guesses.
 */
export function issueCode(now: Date, context: string, key: Buffer): { code: string; codeHash: string; sentAt: Date; expiresAt: Date } {
  const code = generateCode();
  return {
    code,
    codeHash: hashCode(code, context, key),
    sentAt: new Date(now.getTime()),
    expiresAt: new Date(now.getTime() + CODE_TTL_MS),
  };
}

function isFinished(state: CodeState): boolean {
  return state.consumedAt !== null || state.failedAttempts >= MAX_FAILED_ATTEMPTS;
}

/**
 * When "Resend" becomes available: 2 minutes after the last send, and not before a held-back
 * send may go out; null when it already is (nothing sent, nothing held back).
 */
export function resendAvailableAt(state: CodeState): Date | null {
  const afterSend = state.sentAt ? state.sentAt.getTime() + RESEND_AFTER_MS : null;
  const held = state.sendBlockedUntil?.getTime() ?? null;
  if (afterSend === null && held === null) return null;
  return new Date(Math.max(afterSend ?? 0, held ?? 0));
}

export function canResend(state: CodeState, now: Date): boolean {
  // A used or locked challenge is over; the user starts a new one instead of resending.
  if (isFinished(state)) return false;
  const at = resendAvailableAt(state);
  return at === null || now.getTime() >= at.getTime();
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64url');
  const right = Buffer.from(b, 'base64url');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks a submitted code. Order matters: a used or locked challenge reports that even when the
 * code is right, and an expired one never compares the code at all.
 */
export function checkCode(state: CodeState, code: string, context: string, key: Buffer, now: Date): CodeCheck {
  if (state.consumedAt !== null) return { ok: false, reason: 'used' };
  if (state.failedAttempts >= MAX_FAILED_ATTEMPTS) return { ok: false, reason: 'locked' };
  if (state.codeHash === null || state.expiresAt === null || now.getTime() >= state.expiresAt.getTime()) {
    return { ok: false, reason: 'expired' };
  }
  // Malformed input still hashes and compares so it costs the same and counts as an attempt.
  const candidate = CODE_FORMAT.test(code) ? code : '';
  const matches = sameHash(hashCode(candidate, context, key), state.codeHash) && candidate !== '';
  if (matches) return { ok: true };
  return {
    ok: false,
    reason: 'wrong',
    attemptsLeft: Math.max(0, MAX_FAILED_ATTEMPTS - (state.failedAttempts + 1)),
  };
}

export function codeErrorMessage(check: CodeFailure): string {
  switch (check.reason) {
    case 'wrong':
      if (check.attemptsLeft <= 0) return 'Too many incorrect codes — start over';
      return `Incorrect code, ${check.attemptsLeft} ${check.attemptsLeft === 1 ? 'attempt' : 'attempts'} left`;
    case 'expired':
      return 'This code has expired — request a new one';
    case 'used':
      return 'This code has already been used';
    case 'locked':
      return 'Too many incorrect codes — start over';
  }
}
