import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Encryption of stored secrets (API secrets, TOTP seeds) with AES-256-GCM. Every blob names the
 * key that sealed it, so the key-encryption key can be rotated: add a new current key, keep the
 * old one in the ring until its blobs are re-encrypted.
 */

export interface Keyring {
  currentId: string;
  keys: Map<string, Buffer>;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
// Standard or URL-safe alphabet; Buffer's base64 decoder reads both.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
export const KEY_FILE_NAME = 'encryption.key';

function decodeKey(id: string, value: string): Buffer {
  // Never echo the value: these errors end up in logs.
  if (!BASE64.test(value)) throw new Error(`Encryption key '${id}' is not valid base64`);
  const key = Buffer.from(value, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`Encryption key '${id}' must be ${KEY_BYTES} bytes (got ${key.length}); create one with: openssl rand -base64 32`);
  }
  return key;
}

/** "base64key" (id "k1") or "id1:base64,id2:base64" where the first entry is the current key. */
export function parseKeyring(spec: string): Keyring {
  const trimmed = spec.trim();
  if (trimmed === '') throw new Error('Encryption key is empty');
  if (!trimmed.includes(':')) return { currentId: 'k1', keys: new Map([['k1', decodeKey('k1', trimmed)]]) };

  const keys = new Map<string, Buffer>();
  for (const part of trimmed.split(',')) {
    const item = part.trim();
    const colon = item.indexOf(':');
    const id = item.slice(0, colon);
    if (colon < 0 || !KEY_ID.test(id)) {
      throw new Error('Encryption keyring must look like "id1:base64key,id2:base64key" (ids: letters, digits, _ or -)');
    }
    if (keys.has(id)) throw new Error(`Encryption key id '${id}' appears twice`);
    keys.set(id, decodeKey(id, item.slice(colon + 1)));
  }
  return { currentId: keys.keys().next().value ?? '', keys };
}

function currentKey(ring: Keyring): Buffer {
  const key = ring.keys.get(ring.currentId);
  if (!key) throw new Error(`Current encryption key '${ring.currentId}' is missing from the keyring`);
  return key;
}

/**
 * Returns "v1.<kid>.<iv>.<tag>.<ciphertext>" (base64url parts). The AAD (e.g. the API key's
 * public id) is authenticated but not stored, so a blob copied onto another row fails to decrypt.
 */
export function encryptSecret(plaintext: string, aad: string, ring: Keyring): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', currentKey(ring), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
  return [FORMAT, ring.currentId, ...parts].join('.');
}

/** Throws on a malformed blob, an unknown key id, a wrong AAD or any tampering. */
export function decryptSecret(blob: string, aad: string, ring: Keyring): string {
  const parts = blob.split('.');
  if (parts.length !== 5 || parts[0] !== FORMAT) throw new Error('Encrypted secret has an unknown format');
  const [, kid, ivText, tagText, ctText] = parts;
  const key = ring.keys.get(kid);
  if (!key) throw new Error(`Encrypted secret uses unknown key id '${kid.slice(0, 32)}'`);
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('Encrypted secret has an unknown format');

  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ctText, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('Encrypted secret failed authentication (tampered, or wrong key or context)');
  }
}

/**
 * A 32-byte key for one purpose (e.g. "code-hash"), derived with HKDF-SHA256 from the current
 * key so one configured secret serves several uses without reusing the same key for each.
 * Rotating the current key changes subkeys too; that only voids short-lived values (codes).
 */
export function deriveSubkey(ring: Keyring, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', currentKey(ring), Buffer.alloc(0), `keydesk:${purpose}`, KEY_BYTES));
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The environment variable wins. Otherwise `${dataDir}/encryption.key` is used, and created
 * (owner-only) when allowed, so a local run needs no setup while production can require the env.
 */
export function loadKeyring(opts: { envValue: string | undefined; dataDir: string; allowGenerate: boolean }): Keyring {
  if (opts.envValue !== undefined && opts.envValue.trim() !== '') {
    try {
      return parseKeyring(opts.envValue);
    } catch (error) {
      throw new Error(`KEYDESK_ENCRYPTION_KEY is invalid: ${messageOf(error)}`);
    }
  }
  const file = path.join(opts.dataDir, KEY_FILE_NAME);
  try {
    return parseKeyring(readFileSync(file, 'utf8'));
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) {
      throw new Error(`${file} is unreadable or invalid: ${messageOf(error)}`);
    }
  }
  if (!opts.allowGenerate) {
    throw new Error(
      `KEYDESK_ENCRYPTION_KEY is not set and ${file} does not exist. ` +
        'Set it to 32 random bytes in base64 (openssl rand -base64 32), or "id:key,oldId:oldKey" when rotating.',
    );
  }
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if another process created the file first; then we use theirs.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (!hasCode(error, 'EEXIST')) throw error;
  }
  return parseKeyring(readFileSync(file, 'utf8'));
}

/** `bytes` random bytes as base64url (e.g. API key ids and secrets). */
export function randomToken(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) throw new Error('randomToken needs 1..1024 bytes');
  return randomBytes(bytes).toString('base64url');
}
