import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';

describe('hashPassword', () => {
  it('stores scrypt$16384$8$1$<16-byte salt>$<32-byte hash>', async () => {
    const stored = await hashPassword('keydesk-demo');
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain('keydesk-demo');
  });

  it('is plain scrypt, checkable without this module', async () => {
    const stored = await hashPassword('keydesk-demo');
    const [, , , , salt, hash] = stored.split('$');
    const expected = scryptSync('keydesk-demo', Buffer.from(salt, 'base64url'), 32, { N: 16384, r: 8, p: 1 });
    expect(expected.toString('base64url')).toBe(hash);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and refuses near misses', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    for (const wrong of ['', 'correct horse battery stapl', 'Correct horse battery staple', 'correct horse battery staple ']) {
      expect(await verifyPassword(wrong, stored)).toBe(false);
    }
  });

  it('handles unicode passwords, treating composed and decomposed forms alike', async () => {
    const stored = await hashPassword('p\u00e4ss-🔑');
    expect(await verifyPassword('p\u00e4ss-🔑', stored)).toBe(true);
    expect(await verifyPassword('pa\u0308ss-🔑', stored)).toBe(true);
    expect(await verifyPassword('pass-🔑', stored)).toBe(false);
  });

  it('verifies hashes made with other (bounded) cost parameters', async () => {
    const salt = Buffer.alloc(16, 1);
    const key = scryptSync('pw', salt, 32, { N: 1024, r: 4, p: 2 });
    const stored = `scrypt$1024$4$2$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('pw', stored)).toBe(true);
    expect(await verifyPassword('pw2', stored)).toBe(false);
  });

  it('refuses a stored hash whose cost would exhaust the server', async () => {
    const stored = `scrypt$${2 ** 20}$32$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;
    expect(await verifyPassword('pw', stored)).toBe(false);
  });

  it.each([
    '',
    'plaintext-password',
    'scrypt$16384$8$1$salt',
    'bcrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$16385$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$016384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$16384$0$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$16384$8$1$!!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA',
    'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$extra',
  ])('returns false (no throw) for malformed stored value %j', async (stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false);
  });
});
