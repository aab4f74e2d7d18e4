import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

/**
 * Password hashing: argon2id with OWASP's minimum (m = 19 MiB, t = 2, p = 1), stored in the PHC
 * string format `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (16-byte random salt, 32-byte hash).
 *
 * Why argon2id and not scrypt at N=2^17 (OWASP's other option): the protection OWASP rates the
 * same costs 19 MiB and ~6 ms of one core per hash here, instead of 128 MiB and ~280 ms, so a burst
 * of sign-ins (real, or with unknown emails, which pay the same price) cannot take a small
 * server's memory or CPU. Its strength is the memory each guess needs, not the time it takes.
 *
 * Hashes of earlier releases, `scrypt$N$r$p$salt$hash` (N=2^14), still verify; `needsRehash`
 * tells sign-in to replace them (and any argon2id hash of another cost) while the password is at hand.
 */

const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;
const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2.memoryCost},t=${ARGON2.timeCost},p=${ARGON2.parallelism}$`;

// Bounds for parameters read back from storage: a corrupted or planted hash must not be able
// to make one sign-in attempt burn gigabytes of memory or minutes of CPU.
const MAX_MEMORY = 256 * 1024 * 1024;
const MAX_ARGON2_TIME = 10;
const MAX_PARALLELISM = 4;
const MIN_KEY_BYTES = 16;
const MAX_KEY_BYTES = 64;

// NFC so the same password typed on different keyboards/OSes hashes the same.
const normalized = (password: string) => password.normalize('NFC');

export async function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2 draws a fresh 16-byte salt from the OS for every hash; argon2id is its default.
  return argon2Hash(normalized(password), ARGON2);
}

/** True when `stored` is not argon2id at today's cost: replace it at the next successful sign-in. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(CURRENT_PREFIX);
}

/** True only for the right password; false (never a throw) for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('scrypt$')) return verifyScrypt(password, stored);
  if (!isBoundedArgon2id(stored)) return false;
  try {
    return await argon2Verify(stored, normalized(password));
  } catch {
    return false;
  }
}

function parseInteger(text: string, min: number, max: number): number | null {
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

const B64 = '[A-Za-z0-9+/]';
const ARGON2ID = new RegExp(`^\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$${B64}{11,}\\$(${B64}+)$`);

function isBoundedArgon2id(stored: string): boolean {
  const match = ARGON2ID.exec(stored);
  if (!match) return false;
  const p = parseInteger(match[3], 1, MAX_PARALLELISM);
  const m = p && parseInteger(match[1], 8 * p, MAX_MEMORY / 1024);
  const t = parseInteger(match[2], 1, MAX_ARGON2_TIME);
  const keyBytes = Math.floor((match[4].length * 3) / 4);
  return Boolean(m && t) && keyBytes >= MIN_KEY_BYTES && keyBytes <= MAX_KEY_BYTES;
}

// --- The format of earlier releases: scrypt, verified only (never written any more). ---

const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 4;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(normalized(password), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

type Stored = { n: number; r: number; p: number; salt: Buffer; key: Buffer };

function parseScrypt(stored: string): Stored | null {
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

async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const parsed = parseScrypt(stored);
  if (!parsed) return false;
  let candidate: Buffer;
  try {
    // scrypt needs about 128 * N * r bytes; Node's default cap (32 MiB) is too low past N=2^15.
    const maxmem = 256 * parsed.n * parsed.r;
    candidate = await derive(password, parsed.salt, parsed.key.length, { N: parsed.n, r: parsed.r, p: parsed.p, maxmem });
  } catch {
    return false;
  }
  return timingSafeEqual(candidate, parsed.key);
}
