import { scryptSync } from 'node:crypto';
import { hash as argon2Hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './passwords';

const oldScrypt = (password: string, { N = 16384, r = 8, p = 1 } = {}) => {
  const salt = Buffer.alloc(16, 7);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${scryptSync(password, salt, 32, { N, r, p }).toString('base64url')}`;
};

describe('hashPassword', () => {
  it('stores argon2id at OWASP’s minimum cost: $argon2id$v=19$m=19456,t=2,p=1$<16-byte salt>$<32-byte hash>', async () => {
    const stored = await hashPassword('keydesk-demo');
    const [, scheme, version, params, salt, hash] = stored.split('$');
    expect([scheme, version, params]).toEqual(['argon2id', 'v=19', 'm=19456,t=2,p=1']);
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash, 'base64')).toHaveLength(32);
    expect(stored).not.toContain('keydesk-demo');
    expect(needsRehash(stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('needsRehash', () => {
  it.each([
    ['scrypt hashes of earlier releases', oldScrypt('pw')],
    ['argon2id of a lower memory cost', '$argon2id$v=19$m=4096,t=2,p=1$' + 'A'.repeat(22) + '$' + 'A'.repeat(43)],
    ['argon2id of fewer passes', '$argon2id$v=19$m=19456,t=1,p=1$' + 'A'.repeat(22) + '$' + 'A'.repeat(43)],
    ['argon2i', '$argon2i$v=19$m=19456,t=2,p=1$' + 'A'.repeat(22) + '$' + 'A'.repeat(43)],
    ['garbage', 'plaintext'],
  ])('%s', (_label, stored) => {
    expect(needsRehash(stored)).toBe(true);
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

  it('still verifies the scrypt N=2^14 hashes of earlier releases', async () => {
    const stored = oldScrypt('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
  });

  it('verifies argon2id hashes of other (bounded) costs', async () => {
    const stored = await argon2Hash('pw', { memoryCost: 4096, timeCost: 3, parallelism: 2 });
    expect(await verifyPassword('pw', stored)).toBe(true);
    expect(await verifyPassword('pw2', stored)).toBe(false);
  });

  it('refuses an argon2id hash whose cost would exhaust the server, without running it', async () => {
    for (const params of ['m=4194304,t=2,p=1', 'm=19456,t=1000,p=1', 'm=19456,t=2,p=64']) {
      const stored = `$argon2id$v=19$${params}$${'A'.repeat(22)}$${'A'.repeat(43)}`;
      expect(await verifyPassword('pw', stored)).toBe(false);
    }
  });

  it('verifies scrypt hashes made with other (bounded) cost parameters', async () => {
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
    '$argon2id$v=19$m=19456,t=2,p=1$AAAA',
    '$argon2id$v=16$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA',
    '$argon2id$v=19$m=019456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '$argon2d$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
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
