import { randomBytes } from 'node:crypto';
import type { Db } from '@/db/client';
import { apiKeys } from '@/db/schema';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { encryptSecret } from '@/lib/platform/crypto';
import { keyring } from '@/lib/platform/keyring';

/**
 * The one test-key factory: an API key inserted straight into the database, its secret sealed
 * with the real lib/platform/crypto and keyring exactly as the create flow stores it.
 */

// The keyring of this test process (a file's harness may already have set its own).
process.env.KEYDESK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

/** What a key is made with; everything but the account has a default. */
export interface KeyFields {
  accountId: string;
  /** Default: `Test key <n>`, unique in the test file. */
  name?: string;
  /** Default: ['read']. */
  permissions?: string[];
  /** Default: [] (any address). */
  ipWhitelist?: string[];
  /** Default: 'active'. */
  status?: 'active' | 'inactive';
  createdBy?: string | null;
  expiresAt?: Date | null;
  suspendedAt?: Date | null;
  suspensionReason?: string | null;
  revokedAt?: Date | null;
  revocationReason?: string | null;
}

/** The inserted row (id, publicKey, secretEnc, …) and the plaintext secret a client would hold. */
export type TestKey = typeof apiKeys.$inferSelect & { secret: string };

let counter = 0;

export async function makeKey(db: Db, fields: KeyFields): Promise<TestKey> {
  const publicKey = newPublicKey();
  const secret = newApiSecret();
  const [row] = await db
    .insert(apiKeys)
    .values({
      accountId: fields.accountId,
      name: fields.name ?? `Test key ${++counter}`,
      publicKey,
      secretEnc: encryptSecret(secret, publicKey, keyring()),
      permissions: fields.permissions ?? ['read'],
      ipWhitelist: fields.ipWhitelist ?? [],
      status: fields.status ?? 'active',
      createdBy: fields.createdBy ?? null,
      expiresAt: fields.expiresAt ?? null,
      suspendedAt: fields.suspendedAt ?? null,
      suspensionReason: fields.suspensionReason ?? null,
      revokedAt: fields.revokedAt ?? null,
      revocationReason: fields.revocationReason ?? null,
    })
    .returning();
  return { ...row, secret };
}
