import { createSecretKey, type KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiKeys } from '@/db/schema';
import type { Awaitable } from '@/lib/platform/awaitable';
import { decryptSecret } from '@/lib/platform/crypto';
import { eventHub } from '@/lib/platform/events';
import { keyring } from '@/lib/platform/keyring';
import { NotifiedCache } from '@/lib/platform/notified-cache';
import type { Permission } from '@/lib/keys/permissions';
import { previousSecretInForce } from '@/lib/keys/grace';
import { log } from '@/lib/platform/log';

/** What the API needs to check a request: loaded once, then served from memory. */
export interface ApiKeyRecord {
  id: string;
  publicKey: string;
  accountId: string;
  status: 'active' | 'inactive';
  /** The last activation; null for a key never activated (told apart from a deactivated one in refusals). */
  activatedAt: Date | null;
  expiresAt: Date | null;
  suspendedAt: Date | null;
  revokedAt: Date | null;
  permissions: Permission[];
  ipWhitelist: string[];
  /**
   * The secret as an HMAC key: node:crypto prepares it once rather than on every signature, and
   * it cannot reach a log or a JSON body as text (it prints and serializes without its value).
   */
  secret: KeyObject;
  /** The secret a rotation replaced, while its grace lasts (lib/keys/rotate.ts); else null. */
  previousSecret: KeyObject | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * The secret `signedWith` accepts among those in force at `now` — the key's own, and during a
 * rotation's grace the one it replaced — or null. The same rule for REST and WebSocket.
 */
export function secretUsed(key: ApiKeyRecord, now: Date, signedWith: (secret: KeyObject) => boolean): KeyObject | null {
  if (signedWith(key.secret)) return key.secret;
  return key.previousSecret !== null && previousSecretInForce(key.previousSecretExpiresAt, now) && signedWith(key.previousSecret)
    ? key.previousSecret
    : null;
}

/** A secret a connection authenticated with is still one of the key's at `now` (not rotated away, grace not over). */
export function secretStillInForce(key: ApiKeyRecord, secret: KeyObject, now: Date): boolean {
  return (
    secret.equals(key.secret) ||
    (key.previousSecret !== null && secret.equals(key.previousSecret) && previousSecretInForce(key.previousSecretExpiresAt, now))
  );
}

/** A secret as clients sign with it: its UTF-8 text (lib/api/signing.ts). */
const hmacKey = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8'));

const MAX_AGE_MS = 60_000; // a safety net only: changes arrive by NOTIFY (lib/platform/events.ts)
const MISS_AGE_MS = 2_000;
const MAX_ENTRIES = 50_000;

/**
 * Keys by public id. Every change to a key (activation, edit, deactivation, deletion) sends a
 * NOTIFY in its transaction; each process drops the cached copy when it arrives, so a change is
 * seen by the next request in every process. A lost LISTEN connection empties the store.
 */
export class KeyStore {
  private cache = new NotifiedCache<ApiKeyRecord | null>({
    name: 'keys',
    maxAgeMs: (record) => (record ? MAX_AGE_MS : MISS_AGE_MS),
    maxEntries: MAX_ENTRIES,
  });
  private publicKeyById = new Map<string, string>();

  constructor(private readonly db: () => Db) {
    eventHub().onKeyChanged((keyId) => this.forget(keyId));
    eventHub().onResync(() => this.clear());
  }

  forget(keyId: string): void {
    const publicKey = this.publicKeyById.get(keyId);
    if (publicKey) this.cache.forget(publicKey);
    this.publicKeyById.delete(keyId);
    // A first load of this key may be in flight under its public id, unknown here until it returns.
    this.cache.abandonLoads();
  }

  clear(): void {
    this.cache.clear();
    this.publicKeyById.clear();
  }

  /** The key without a promise when cached: this is every signed call's first step. */
  find(publicKey: string): Awaitable<ApiKeyRecord | null> {
    if (!publicKey || publicKey.length > 128) return null;
    // Without notifications arriving (no LISTEN, or the database unreachable), a cached key could be stale.
    if (!eventHub().watches(this.db())) return this.load(publicKey);
    const cached = this.cache.lookup(publicKey);
    return cached !== undefined ? cached : this.loadAndKeep(publicKey);
  }

  private async loadAndKeep(publicKey: string): Promise<ApiKeyRecord | null> {
    const record = await this.cache.get(publicKey, () => this.load(publicKey));
    if (record) {
      // Without its id a cached key could not be forgotten: the two are dropped together.
      if (this.publicKeyById.size >= MAX_ENTRIES) this.clear();
      this.publicKeyById.set(record.id, publicKey);
    }
    return record;
  }

  private async load(publicKey: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.db()
      .select({
        id: apiKeys.id,
        publicKey: apiKeys.publicKey,
        accountId: apiKeys.accountId,
        status: apiKeys.status,
        activatedAt: apiKeys.activatedAt,
        expiresAt: apiKeys.expiresAt,
        suspendedAt: apiKeys.suspendedAt,
        revokedAt: apiKeys.revokedAt,
        permissions: apiKeys.permissions,
        ipWhitelist: apiKeys.ipWhitelist,
        secretEnc: apiKeys.secretEnc,
        previousSecretEnc: apiKeys.previousSecretEnc,
        previousSecretExpiresAt: apiKeys.previousSecretExpiresAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.publicKey, publicKey));
    if (!row) return null;
    const { secretEnc, previousSecretEnc, ...rest } = row;
    let secret: KeyObject;
    try {
      secret = hmacKey(decryptSecret(secretEnc, row.publicKey, keyring()));
    } catch {
      // Fail closed: a secret we cannot decrypt (a retired encryption key, a damaged row) means
      // the key cannot be verified, so it answers like an unknown key. Never log the ciphertext.
      log.error({ keyId: row.id }, 'the secret of an API key cannot be decrypted; refusing the key');
      return null;
    }
    // A replaced secret past its grace is not even decrypted; one that cannot be is simply not accepted.
    let previousSecret: KeyObject | null = null;
    if (previousSecretEnc && previousSecretInForce(row.previousSecretExpiresAt, new Date())) {
      try {
        previousSecret = hmacKey(decryptSecret(previousSecretEnc, row.publicKey, keyring()));
      } catch {
        log.error({ keyId: row.id }, 'the previous secret of an API key cannot be decrypted; only its current secret is accepted');
      }
    }
    return { ...rest, permissions: rest.permissions as Permission[], secret, previousSecret };
  }
}
