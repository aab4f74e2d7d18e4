import { randomBytes, scryptSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { signIn } from '@/app/sign-in/actions';
import { users } from '@/db/schema';
import { DEMO_ACCOUNTS } from '@/lib/identity/demo-accounts';
import { BAD_CREDENTIALS } from '@/lib/identity/sign-in';
import { verifyPassword } from '@/lib/identity/passwords';
import { getCurrentUser } from '@/lib/web/auth';
import { db, DEMO_PASSWORD, form, IDLE, NEW_OWNER, redirectOf, SMS_OWNER, useTestDatabase } from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const CURRENT = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

/** A hash as releases before #10 item 12 stored it: scrypt N=2^14, r=8, p=1. */
function oldFormatHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

async function storedHash(email: string): Promise<string> {
  const [row] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, email));
  return row.passwordHash;
}

const setHash = (email: string, passwordHash: string) => db().update(users).set({ passwordHash }).where(eq(users.email, email));
const credentials = (email: string, password: string) => form({ email, password });

describe('old password hashes are replaced at the next successful sign-in', () => {
  it('an old scrypt hash still signs in, and is then stored as argon2id that works for the same password', async () => {
    const old = oldFormatHash(DEMO_PASSWORD);
    await setHash(NEW_OWNER, old);
    expect(await redirectOf(signIn(IDLE, credentials(NEW_OWNER, DEMO_PASSWORD)))).toBe('/settings');
    expect((await getCurrentUser())?.email).toBe(NEW_OWNER);

    const upgraded = await storedHash(NEW_OWNER);
    expect(upgraded).toMatch(CURRENT);
    expect(await verifyPassword(DEMO_PASSWORD, upgraded)).toBe(true);
    expect(await verifyPassword('not-the-password', upgraded)).toBe(false);
    // The new hash signs in, and is not replaced again.
    expect(await redirectOf(signIn(IDLE, credentials(NEW_OWNER, DEMO_PASSWORD)))).toBe('/settings');
    expect(await storedHash(NEW_OWNER)).toBe(upgraded);
  });

  it('with a second factor, the hash is replaced once the password is right, before the code', async () => {
    await setHash(SMS_OWNER, oldFormatHash(DEMO_PASSWORD));
    expect(await redirectOf(signIn(IDLE, credentials(SMS_OWNER, DEMO_PASSWORD)))).toBe('/sign-in/verify');
    expect(await storedHash(SMS_OWNER)).toMatch(CURRENT);
  });

  it('a wrong password leaves the old hash as it was', async () => {
    const old = oldFormatHash(DEMO_PASSWORD);
    await setHash(NEW_OWNER, old);
    expect(await signIn(IDLE, credentials(NEW_OWNER, 'not-the-password'))).toMatchObject({ status: 'error', message: BAD_CREDENTIALS });
    expect(await storedHash(NEW_OWNER)).toBe(old);
  });

  it('a disabled user with the right password is refused and the old hash stays', async () => {
    const old = oldFormatHash(DEMO_PASSWORD);
    await db().update(users).set({ passwordHash: old, disabledAt: new Date() }).where(eq(users.email, NEW_OWNER));
    expect(await signIn(IDLE, credentials(NEW_OWNER, DEMO_PASSWORD))).toMatchObject({ status: 'error', message: BAD_CREDENTIALS });
    expect(await storedHash(NEW_OWNER)).toBe(old);
  });
});

describe('the demo seed', () => {
  it('gives every demo person an argon2id hash of the demo password with a salt of their own', async () => {
    const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => storedHash(a.email)));
    for (const hash of hashes) {
      expect(hash).toMatch(CURRENT);
      expect(await verifyPassword(DEMO_PASSWORD, hash)).toBe(true);
    }
    const salts = hashes.map((hash) => hash.split('$')[4]);
    expect(new Set(salts).size).toBe(DEMO_ACCOUNTS.length);
    expect(new Set(hashes).size).toBe(DEMO_ACCOUNTS.length);
  });
});
