import { eq } from 'drizzle-orm';
import { apiKeys, keyChanges } from '@/db/schema';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { encryptSecret } from '@/lib/platform/crypto';
import { keyring } from '@/lib/platform/keyring';
import { confirmChangeAction } from '@/app/settings/api-keys/[keyId]/change-actions';
import { db, form, IDLE, userByEmail } from './actions';

/** Set-up and look-ups for the key lifecycle tests; the harness itself comes from test/integration. */

export interface KeyFixture {
  name?: string;
  permissions?: string[];
  ipWhitelist?: string[];
  status?: 'active' | 'inactive';
  expiresAt?: Date | null;
  suspendedAt?: Date | null;
  suspensionReason?: string | null;
  revokedAt?: Date | null;
  revocationReason?: string | null;
}

/** A key of `email`'s account, straight into the database. */
export async function makeKey(email: string, fixture: KeyFixture = {}) {
  const user = await userByEmail(email);
  const publicKey = newPublicKey();
  const [key] = await db()
    .insert(apiKeys)
    .values({
      accountId: user.accountId!,
      name: fixture.name ?? 'Trading bot',
      publicKey,
      secretEnc: encryptSecret(newApiSecret(), publicKey, keyring()),
      permissions: fixture.permissions ?? ['read', 'trade'],
      ipWhitelist: fixture.ipWhitelist ?? ['198.51.100.0/24'],
      status: fixture.status ?? 'active',
      createdBy: user.id,
      expiresAt: fixture.expiresAt ?? null,
      suspendedAt: fixture.suspendedAt ?? null,
      suspensionReason: fixture.suspensionReason ?? null,
      revokedAt: fixture.revokedAt ?? null,
      revocationReason: fixture.revocationReason ?? null,
    })
    .returning();
  return { key, user };
}

export async function keyRow(keyId: string) {
  const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return row ?? null;
}

export async function changeRow(changeId: string) {
  const [row] = await db().select().from(keyChanges).where(eq(keyChanges.id, changeId));
  return row ?? null;
}

export interface EditFields {
  name?: string;
  permissions?: string[];
  ipWhitelist?: string;
  expiresOn?: string;
}

export const editForm = (keyId: string, { name = 'Trading bot', permissions = ['read', 'trade'], ipWhitelist = '198.51.100.0/24', expiresOn = '' }: EditFields = {}) =>
  form({ keyId, name, permissions, ipWhitelist, expiresOn });

export const CHANGE_URL = (kind: 'edit' | 'delete') => new RegExp(`^/settings/api-keys/([0-9a-f-]{36})/${kind}/([0-9a-f-]{36})$`);

export function changeIdOf(url: string): string {
  return url.split('/').at(-1)!;
}

/** Submits the 2FA code of a pending edit or deletion, as its confirm form does. */
export const confirm = (keyId: string, changeId: string, code: string) => confirmChangeAction(IDLE, form({ keyId, changeId, code }));
