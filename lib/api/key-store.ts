import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiKeys } from '@/db/schema';
import { decryptSecret } from '../crypto';
import { eventHub } from '../events';
import { keyring } from '../keyring';
import type { Permission } from '../permissions';

/** What the API needs to check a request: loaded once, then served from memory. */
export interface ApiKeyRecord {
  id: string;
  publicKey: string;
  accountId: string;
  status: 'active' | 'inactive';
  expiresAt: Date | null;
  suspendedAt: Date | null;
  revokedAt: Date | null;
  permissions: Permission[];
  ipWhitelist: string[];
  secret: string;
}

const MAX_AGE_MS = 60_000; // a safety net only: changes arrive by NOTIFY (lib/events.ts)
const MISS_AGE_MS = 2_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  record: ApiKeyRecord | null;
  loadedAt: number;
}

/**
 * Keys by public id. Every change to a key (activation, edit, deactivation, deletion) sends a
 * NOTIFY in its transaction; each process drops the cached copy when it arrives, so a change is
 * seen by the next request in every process.
 */
export class KeyStore {
  private entries = new Map<string, Entry>();
  private publicKeyById = new Map<string, string>();

  constructor(private readonly db: () => Db) {
    eventHub().onKeyChanged((keyId) => this.forget(keyId));
  }

  forget(keyId: string): void {
    const publicKey = this.publicKeyById.get(keyId);
    if (publicKey) this.entries.delete(publicKey);
    this.publicKeyById.delete(keyId);
  }

  async find(publicKey: string): Promise<ApiKeyRecord | null> {
    if (!publicKey || publicKey.length > 128) return null;
    const cached = this.entries.get(publicKey);
    const age = cached ? Date.now() - cached.loadedAt : Infinity;
    if (cached && age < (cached.record ? MAX_AGE_MS : MISS_AGE_MS)) return cached.record;
    const record = await this.load(publicKey);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(publicKey, { record, loadedAt: Date.now() });
    if (record) this.publicKeyById.set(record.id, publicKey);
    return record;
  }

  private async load(publicKey: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.db()
      .select({
        id: apiKeys.id,
        publicKey: apiKeys.publicKey,
        accountId: apiKeys.accountId,
        status: apiKeys.status,
        expiresAt: apiKeys.expiresAt,
        suspendedAt: apiKeys.suspendedAt,
        revokedAt: apiKeys.revokedAt,
        permissions: apiKeys.permissions,
        ipWhitelist: apiKeys.ipWhitelist,
        secretEnc: apiKeys.secretEnc,
      })
      .from(apiKeys)
      .where(eq(apiKeys.publicKey, publicKey));
    if (!row) return null;
    const { secretEnc, ...rest } = row;
    let secret: string;
    try {
      secret = decryptSecret(secretEnc, row.publicKey, keyring());
    } catch {
      // Fail closed: a secret we cannot decrypt (a retired encryption key, a damaged row) means
      // the key cannot be verified, so it answers like an unknown key. Never log the ciphertext.
      console.error(`[api] the secret of key ${row.id} cannot be decrypted; refusing it`);
      return null;
    }
    return { ...rest, permissions: rest.permissions as Permission[], secret };
  }
}
