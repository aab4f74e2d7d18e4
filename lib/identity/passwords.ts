import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt from node:crypto. Stored as `scrypt$N$r$p$salt$hash` (base64url
 * salt and hash) so the cost can be raised later while old hashes still verify.
 */

const N = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Bounds for parameters read back from storage: a corrupted or planted hash must not be able
// to make one sign-in attempt burn gigabytes of memory or minutes of CPU.
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 4;
const MAX_MEMORY = 256 * 1024 * 1024;
const MIN_KEY_BYTES = 16;
const MAX_KEY_BYTES = 64;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // NFC so the same password typed on different keyboards/OSes hashes the same.
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function memoryFor(n: number, r: number): number {
  // scrypt needs about 128 * N * r bytes; Node's default cap (32 MiB) is too low past N=2^15.
  return 256 * n * r;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { N, r: R, p: P, maxmem: memoryFor(N, R) });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parseInteger(text: string, min: number, max: number): number | null {
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

type Stored = { n: number; r: number; p: number; salt: Buffer; key: Buffer };

function parseStored(stored: string): Stored | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const n = parseInteger(parts[1], 2, MAX_N);
  const r = parseInteger(parts[2], 1, MAX_R);
  const p = parseInteger(parts[3], 1, MAX_P);
  if (n === null || r === null || p === null || (n & (n - 1)) !== 0) return null;
  if (128 * n * r > MAX_MEMORY) return null;
  const b64url = /^[A-Za-z0-9_-]+$/;
  if (!b64url.test(parts[4]) || !b64url.test(parts[5])) return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const key = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) return null;
  return { n, r, p, salt, key };
}

/** True only for the right password; false (never a throw) for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  let candidate: Buffer;
  try {
    candidate = await derive(password, parsed.salt, parsed.key.length, {
      N: parsed.n,
      r: parsed.r,
      p: parsed.p,
      maxmem: memoryFor(parsed.n, parsed.r),
    });
  } catch {
    return false;
  }
  return timingSafeEqual(candidate, parsed.key);
}
