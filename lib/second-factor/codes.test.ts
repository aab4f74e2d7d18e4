import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CODE_TTL_MS,
  MAX_FAILED_ATTEMPTS,
  RESEND_AFTER_MS,
  type CodeCheck,
  type CodeState,
  canResend,
  checkCode,
  codeErrorMessage,
  generateCode,
  hashCode,
  issueCode,
  resendAvailableAt,
} from './codes';

const key = Buffer.alloc(32, 7);
const context = 'pending-creation:42';
const t0 = new Date('2030-01-01T12:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function freshState(): { code: string; state: CodeState } {
  const issued = issueCode(t0, context, key);
  return {
    code: issued.code,
    state: { codeHash: issued.codeHash, sentAt: issued.sentAt, expiresAt: issued.expiresAt, failedAttempts: 0, consumedAt: null },
  };
}

/** The caller's side of the contract: persist what each check implies. */
function apply(state: CodeState, check: CodeCheck, now: Date): CodeState {
  if (check.ok) return { ...state, consumedAt: now };
  if (check.reason === 'wrong') return { ...state, failedAttempts: state.failedAttempts + 1 };
  return state;
}

function otherCode(code: string): string {
  return code === '000000' ? '000001' : '000000';
}

describe('generateCode', () => {
  it('always returns six digits, including leading zeros', () => {
    const codes = Array.from({ length: 2000 }, generateCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1900);
  });
});

describe('hashCode', () => {
  it('is HMAC-SHA256(key, context:code) in base64url', () => {
    const expected = createHmac('sha256', key).update('ctx:123456').digest('base64url');
    expect(hashCode('123456', 'ctx', key)).toBe(expected);
  });

  it('depends on the code, the context and the key', () => {
    const base = hashCode('123456', 'a', key);
    expect(hashCode('123457', 'a', key)).not.toBe(base);
    expect(hashCode('123456', 'b', key)).not.toBe(base);
    expect(hashCode('123456', 'a', Buffer.alloc(32, 8))).not.toBe(base);
  });
});

describe('issueCode', () => {
  it('stores only a hash and expires five minutes after sending', () => {
    const issued = issueCode(t0, context, key);
    expect(issued.codeHash).not.toContain(issued.code);
    expect(issued.codeHash).toBe(hashCode(issued.code, context, key));
    expect(issued.sentAt.getTime()).toBe(t0.getTime());
    expect(issued.expiresAt.getTime() - issued.sentAt.getTime()).toBe(CODE_TTL_MS);
    expect(CODE_TTL_MS).toBe(300_000);
  });
});

describe('checkCode', () => {
  it('accepts the right code and then refuses it as used', () => {
    const { code, state } = freshState();
    const first = checkCode(state, code, context, key, at(1000));
    expect(first).toEqual({ ok: true });
    const after = apply(state, first, at(1000));
    expect(checkCode(after, code, context, key, at(2000))).toEqual({ ok: false, reason: 'used' });
  });

  it('is valid until just before five minutes and expired at exactly five minutes', () => {
    const { code, state } = freshState();
    expect(checkCode(state, code, context, key, at(CODE_TTL_MS - 1))).toEqual({ ok: true });
    expect(checkCode(state, code, context, key, at(CODE_TTL_MS))).toEqual({ ok: false, reason: 'expired' });
    expect(checkCode(state, code, context, key, at(CODE_TTL_MS + 60_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('counts down attempts and locks after five wrong codes, even for the right one', () => {
    const { code, state: initial } = freshState();
    let state = initial;
    const seen: number[] = [];
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) {
      const check = checkCode(state, otherCode(code), context, key, at(1000));
      if (check.ok || check.reason !== 'wrong') throw new Error('expected wrong');
      seen.push(check.attemptsLeft);
      state = apply(state, check, at(1000));
    }
    expect(seen).toEqual([4, 3, 2, 1, 0]);
    expect(checkCode(state, code, context, key, at(2000))).toEqual({ ok: false, reason: 'locked' });
  });

  it.each(['', '12345', '1234567', '12345a', ' 123456', '１２３４５６', '123 456', '-12345'])(
    'treats malformed input %j as a wrong attempt',
    (input) => {
      const { state } = freshState();
      expect(checkCode(state, input, context, key, at(1000))).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 });
    },
  );

  it('refuses a code issued for another challenge', () => {
    const { code, state } = freshState();
    expect(checkCode(state, code, 'pending-creation:43', key, at(1000))).toMatchObject({ ok: false, reason: 'wrong' });
  });

  it('refuses when no code was ever sent', () => {
    const state: CodeState = { codeHash: null, sentAt: null, expiresAt: null, failedAttempts: 0, consumedAt: null };
    expect(checkCode(state, '123456', context, key, t0)).toEqual({ ok: false, reason: 'expired' });
  });

  it('reports used before locked before expired', () => {
    const { code, state } = freshState();
    const late = at(CODE_TTL_MS * 2);
    const everything = { ...state, failedAttempts: 5, consumedAt: at(1) };
    expect(checkCode(everything, code, context, key, late)).toEqual({ ok: false, reason: 'used' });
    expect(checkCode({ ...everything, consumedAt: null }, code, context, key, late)).toEqual({ ok: false, reason: 'locked' });
  });
});

describe('resend', () => {
  it('becomes available two minutes after the last send', () => {
    const { state } = freshState();
    expect(resendAvailableAt(state)?.getTime()).toBe(t0.getTime() + RESEND_AFTER_MS);
    expect(canResend(state, at(RESEND_AFTER_MS - 1))).toBe(false);
    expect(canResend(state, at(RESEND_AFTER_MS))).toBe(true);
  });

  it('restarts the timer on each send, and a resent code replaces the old one', () => {
    const { code: oldCode, state } = freshState();
    const again = issueCode(at(RESEND_AFTER_MS), context, key);
    const resent: CodeState = { ...state, codeHash: again.codeHash, sentAt: again.sentAt, expiresAt: again.expiresAt };
    expect(canResend(resent, at(RESEND_AFTER_MS + 1000))).toBe(false);
    expect(resendAvailableAt(resent)?.getTime()).toBe(t0.getTime() + 2 * RESEND_AFTER_MS);
    if (oldCode !== again.code) {
      expect(checkCode(resent, oldCode, context, key, at(RESEND_AFTER_MS + 1))).toMatchObject({ reason: 'wrong' });
    }
    expect(checkCode(resent, again.code, context, key, at(RESEND_AFTER_MS + CODE_TTL_MS - 1))).toEqual({ ok: true });
  });

  it('is allowed when nothing was sent yet, refused once used or locked', () => {
    const { state } = freshState();
    expect(resendAvailableAt({ ...state, sentAt: null })).toBeNull();
    expect(canResend({ ...state, sentAt: null }, t0)).toBe(true);
    const later = at(RESEND_AFTER_MS * 3);
    expect(canResend({ ...state, consumedAt: at(1) }, later)).toBe(false);
    expect(canResend({ ...state, failedAttempts: MAX_FAILED_ATTEMPTS }, later)).toBe(false);
  });
});

describe('codeErrorMessage', () => {
  it.each([
    [{ ok: false, reason: 'wrong', attemptsLeft: 4 }, 'Incorrect code, 4 attempts left'],
    [{ ok: false, reason: 'wrong', attemptsLeft: 1 }, 'Incorrect code, 1 attempt left'],
    [{ ok: false, reason: 'wrong', attemptsLeft: 0 }, 'Too many incorrect codes — start over'],
    [{ ok: false, reason: 'expired' }, 'This code has expired — request a new one'],
    [{ ok: false, reason: 'used' }, 'This code has already been used'],
    [{ ok: false, reason: 'locked' }, 'Too many incorrect codes — start over'],
  ] as const)('%j -> %s', (check, message) => {
    expect(codeErrorMessage(check)).toBe(message);
  });
});
