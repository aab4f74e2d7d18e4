import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decryptSecret, deriveSubkey, encryptSecret, loadKeyring, parseKeyring, randomToken } from './crypto';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

describe('parseKeyring', () => {
  it('reads a single base64 key as "k1"', () => {
    const ring = parseKeyring(`  ${keyA}\n`);
    expect(ring.currentId).toBe('k1');
    expect(ring.keys.get('k1')?.toString('base64')).toBe(keyA);
  });

  it('reads "id:key,id:key" with the first as current', () => {
    const ring = parseKeyring(`2025b:${keyB}, 2024a:${keyA}`);
    expect(ring.currentId).toBe('2025b');
    expect([...ring.keys.keys()]).toEqual(['2025b', '2024a']);
  });

  it('accepts URL-safe base64 too', () => {
    const raw = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    expect(parseKeyring(raw.toString('base64url')).keys.get('k1')?.equals(raw)).toBe(true);
  });

  it.each([
    ['', /empty/],
    [randomBytes(16).toString('base64'), /must be 32 bytes \(got 16\)/],
    [randomBytes(33).toString('base64'), /must be 32 bytes \(got 33\)/],
    ['not base64 at all!', /not valid base64/],
    [`k1:${keyA},k1:${keyB}`, /appears twice/],
    [`:${keyA}`, /id1:base64key/],
    [`bad.id:${keyA}`, /id1:base64key/],
    [`k1:${keyA},`, /id1:base64key/],
    [`k2:${randomBytes(31).toString('base64')}`, /'k2' must be 32 bytes/],
  ])('rejects %j with a clear error', (spec, message) => {
    expect(() => parseKeyring(spec)).toThrow(message);
  });

  it('never puts key material in its errors', () => {
    const short = randomBytes(20).toString('base64');
    expect(() => parseKeyring(`k9:${short}`)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(short) }));
  });
});

describe('encryptSecret / decryptSecret', () => {
  const ring = parseKeyring(keyA);

  it('round-trips, including unicode and empty strings', () => {
    for (const text of ['s3cr3t', '', 'ключ 🔑', 'x'.repeat(10_000)]) {
      expect(decryptSecret(encryptSecret(text, 'key_123', ring), 'key_123', ring)).toBe(text);
    }
  });

  it('produces "v1.<kid>.<iv>.<tag>.<ct>" with a fresh IV each time', () => {
    const a = encryptSecret('same', 'aad', ring);
    const b = encryptSecret('same', 'aad', ring);
    expect(a).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
  });

  it('detects a flipped byte in any part', () => {
    const blob = encryptSecret('the api secret', 'key_123', ring);
    const parts = blob.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = [...parts];
      tampered[index] = bytes.toString('base64url');
      expect(() => decryptSecret(tampered.join('.'), 'key_123', ring)).toThrow();
    }
  });

  it('refuses a blob moved to another row (different AAD)', () => {
    const blob = encryptSecret('the api secret', 'key_123', ring);
    expect(() => decryptSecret(blob, 'key_124', ring)).toThrow(/failed authentication/);
  });

  it.each(['', 'v1', 'v2.k1.a.b.c', 'v1.k1.a.b', 'v1.k1.AAAA.AAAA.AAAA', 'v1.k1.a.b.c.d'])('refuses malformed blob %j', (blob) => {
    expect(() => decryptSecret(blob, 'aad', ring)).toThrow();
  });

  it('refuses an unknown key id', () => {
    const blob = encryptSecret('x', 'aad', parseKeyring(`old:${keyB}`));
    expect(() => decryptSecret(blob, 'aad', ring)).toThrow(/unknown key id 'old'/);
  });

  it('supports rotation: old blobs still open, new blobs use the new key', () => {
    const oldRing = parseKeyring(`2024:${keyA}`);
    const oldBlob = encryptSecret('legacy secret', 'key_1', oldRing);
    const newRing = parseKeyring(`2025:${keyB},2024:${keyA}`);
    expect(decryptSecret(oldBlob, 'key_1', newRing)).toBe('legacy secret');
    const newBlob = encryptSecret('fresh secret', 'key_2', newRing);
    expect(newBlob.startsWith('v1.2025.')).toBe(true);
    expect(() => decryptSecret(newBlob, 'key_2', oldRing)).toThrow(/unknown key id/);
  });

  it('the same key under a different id is a different key id', () => {
    const blob = encryptSecret('x', 'aad', parseKeyring(keyA));
    expect(() => decryptSecret(blob, 'aad', parseKeyring(`k2:${keyA}`))).toThrow(/unknown key id 'k1'/);
  });
});

describe('deriveSubkey', () => {
  it('is 32 bytes, stable, distinct per purpose and per key, and not the key itself', () => {
    const ring = parseKeyring(keyA);
    const codes = deriveSubkey(ring, 'codes');
    expect(codes).toHaveLength(32);
    expect(deriveSubkey(parseKeyring(keyA), 'codes').equals(codes)).toBe(true);
    expect(deriveSubkey(ring, 'other').equals(codes)).toBe(false);
    expect(deriveSubkey(parseKeyring(keyB), 'codes').equals(codes)).toBe(false);
    expect(codes.equals(ring.keys.get('k1') ?? Buffer.alloc(0))).toBe(false);
  });

  it('follows the current key', () => {
    const rotated = parseKeyring(`new:${keyB},k1:${keyA}`);
    expect(deriveSubkey(rotated, 'codes').equals(deriveSubkey(parseKeyring(keyB), 'codes'))).toBe(true);
  });
});

describe('loadKeyring', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keydesk-crypto-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('prefers the environment variable and writes no file', () => {
    const dir = tempDir();
    const ring = loadKeyring({ envValue: keyA, dataDir: dir, allowGenerate: true });
    expect(ring.keys.get('k1')?.toString('base64')).toBe(keyA);
    expect(existsSync(path.join(dir, 'encryption.key'))).toBe(false);
  });

  it('names the variable when its value is bad', () => {
    expect(() => loadKeyring({ envValue: 'short', dataDir: tempDir(), allowGenerate: true })).toThrow(
      /KEYDESK_ENCRYPTION_KEY is invalid: .*32 bytes/,
    );
  });

  it('generates an owner-only key file (creating the folder) that stays the same across loads', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const first = loadKeyring({ envValue: undefined, dataDir: dir, allowGenerate: true });
    const file = path.join(dir, 'encryption.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadKeyring({ envValue: '  ', dataDir: dir, allowGenerate: false });
    expect(second.keys.get('k1')?.equals(first.keys.get('k1') ?? Buffer.alloc(0))).toBe(true);
    expect(decryptSecret(encryptSecret('x', 'a', first), 'a', second)).toBe('x');
  });

  it('reads an existing key file without generating', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'encryption.key'), `${keyB}\n`, { mode: 0o600 });
    expect(loadKeyring({ envValue: undefined, dataDir: dir, allowGenerate: false }).keys.get('k1')?.toString('base64')).toBe(keyB);
    expect(readFileSync(path.join(dir, 'encryption.key'), 'utf8')).toBe(`${keyB}\n`);
  });

  it('refuses a corrupt key file instead of replacing it', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'encryption.key'), 'garbage');
    expect(() => loadKeyring({ envValue: undefined, dataDir: dir, allowGenerate: true })).toThrow(
      /encryption\.key is unreadable or invalid/,
    );
    expect(readFileSync(path.join(dir, 'encryption.key'), 'utf8')).toBe('garbage');
  });

  it('explains what to set when nothing is configured and generation is off', () => {
    const dir = tempDir();
    expect(() => loadKeyring({ envValue: undefined, dataDir: dir, allowGenerate: false })).toThrow(
      /^KEYDESK_ENCRYPTION_KEY is not set .*openssl rand -base64 32/,
    );
    expect(existsSync(path.join(dir, 'encryption.key'))).toBe(false);
  });
});

describe('randomToken', () => {
  it('returns base64url of the requested size, different every time', () => {
    const a = randomToken(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(randomToken(32)).not.toBe(a);
    expect(randomToken(24)).toHaveLength(32);
  });

  it.each([0, -1, 1.5, Number.NaN, 1025])('refuses %s bytes', (n) => {
    expect(() => randomToken(n)).toThrow();
  });
});
