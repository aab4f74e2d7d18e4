import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { describe, expect, it, vi } from 'vitest';
import { readSessionClaims, sessionCookieName } from '@/lib/web/session';
import { Browser, useBrowser } from '../support/next-headers';

vi.mock('next/headers', () => import('../support/next-headers'));

process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString('base64');

/**
 * A session token is decoded once per process and then served by its hash (lib/web/session.ts):
 * what a browser presenting it is told must not change — a tampered token is refused, and a
 * remembered one stops working at its own expiry.
 */
async function browserWith(token: string): Promise<Browser> {
  const browser = useBrowser(new Browser());
  browser.jar.set(sessionCookieName(), { value: token, options: {} });
  return browser;
}

const SESSION_ID = '5e551015-0000-4000-8000-000000000001';
const tokenFor = (userId: string, maxAge: number) =>
  encode({ token: { sub: userId, tv: 3, sid: SESSION_ID }, secret: process.env.NEXTAUTH_SECRET!, maxAge });

describe('session token decoding', () => {
  it('gives the same claims on every request that presents the token', async () => {
    const token = await tokenFor('0b7a4a52-7c1e-4d6e-9a51-2f0b9d1c4e01', 3600);
    await browserWith(token);
    expect(await readSessionClaims()).toEqual({ userId: '0b7a4a52-7c1e-4d6e-9a51-2f0b9d1c4e01', tokenVersion: 3, sessionId: SESSION_ID });
    expect(await readSessionClaims()).toEqual({ userId: '0b7a4a52-7c1e-4d6e-9a51-2f0b9d1c4e01', tokenVersion: 3, sessionId: SESSION_ID });
  });

  it('refuses a token changed by one character, even after the genuine one was decoded', async () => {
    const token = await tokenFor('1c8b5b63-8d2f-4e7f-8b62-3a1c0e2d5f12', 3600);
    await browserWith(token);
    expect(await readSessionClaims()).not.toBeNull();
    const at = token.length - 5;
    await browserWith(`${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`);
    expect(await readSessionClaims()).toBeNull();
  });

  it('stops accepting a remembered token at its expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const token = await tokenFor('2d9c6c74-9e3a-4f80-9c73-4b2d1f3e6a23', 60);
      await browserWith(token);
      expect(await readSessionClaims()).not.toBeNull();
      vi.setSystemTime(Date.now() + 61_000);
      expect(await readSessionClaims()).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
