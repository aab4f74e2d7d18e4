import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '@/db/client';
import { accounts, apiKeys, users } from '@/db/schema';
import { seedDemo } from '@/lib/identity/demo-accounts';
import { liftSuspension, revokeKey, suspendKey } from '@/lib/keys/admin';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { NO_REQUEST } from '@/lib/platform/audit';
import { encryptSecret } from '@/lib/platform/crypto';
import { KEY_CHANGED } from '@/lib/platform/events';
import { keyring } from '@/lib/platform/keyring';

process.env.KEYDESK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

/**
 * A real LISTEN on the channel the API's key cache follows (lib/api/key-store.ts): each admin
 * step is heard once it commits; a refused step is not heard at all.
 */
let handle: DbHandle;
let adminId: string;
let accountId: string;
const heard: string[] = [];

beforeAll(async () => {
  handle = openDatabase({ dir: 'memory://' });
  await handle.migrate();
  await seedDemo(handle.db);
  await handle.listen(KEY_CHANGED, (keyId) => heard.push(keyId));
  [{ id: adminId }] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, 'admin@keydesk.test'));
  [{ id: accountId }] = await handle.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, 'Borealis Markets'));
});

afterAll(() => handle.close());

async function newKey(): Promise<string> {
  const publicKey = newPublicKey();
  const [row] = await handle.db
    .insert(apiKeys)
    .values({ accountId, name: `k-${publicKey.slice(3, 10)}`, publicKey, secretEnc: encryptSecret(newApiSecret(), publicKey, keyring()), permissions: ['read'], ipWhitelist: [], status: 'active' })
    .returning({ id: apiKeys.id });
  return row.id;
}

async function heardNow(): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 50));
  return heard.splice(0);
}

describe('admin steps and the key-changed channel', () => {
  it('suspend, lift and revoke are each heard once, with the key id', async () => {
    const id = await newKey();
    await heardNow();
    const admin = { id: adminId };
    expect(await suspendKey(handle.db, admin, id, 'checking', NO_REQUEST)).toEqual({ ok: true });
    expect(await heardNow()).toEqual([id]);
    expect(await liftSuspension(handle.db, admin, id, NO_REQUEST)).toEqual({ ok: true });
    expect(await heardNow()).toEqual([id]);
    expect(await revokeKey(handle.db, admin, id, 'leaked', NO_REQUEST)).toEqual({ ok: true });
    expect(await heardNow()).toEqual([id]);
  });

  it('refused steps send nothing', async () => {
    const id = await newKey();
    const admin = { id: adminId };
    expect(await liftSuspension(handle.db, admin, id, NO_REQUEST)).toMatchObject({ ok: false });
    await revokeKey(handle.db, admin, id, 'leaked', NO_REQUEST);
    await heardNow();
    expect(await suspendKey(handle.db, admin, id, 'again', NO_REQUEST)).toMatchObject({ ok: false });
    expect(await revokeKey(handle.db, admin, id, 'again', NO_REQUEST)).toMatchObject({ ok: false });
    expect(await suspendKey(handle.db, admin, '00000000-0000-4000-8000-000000000000', 'nobody', NO_REQUEST)).toEqual({ ok: false, reason: 'not_found' });
    expect(await heardNow()).toEqual([]);
  });
});
