import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '@/db/client';
import { findUserSummary } from '@/db/queries/users';
import { apiKeys, outboxMessages, users } from '@/db/schema';
import { seedDemo } from '@/lib/identity/demo-accounts';
import { NO_REQUEST } from '@/lib/platform/audit';
import { newApiSecret, newPublicKey } from '@/lib/keys/rules';
import { encryptSecret } from '@/lib/platform/crypto';
import { KEY_CHANGED } from '@/lib/platform/events';
import { confirmKeyChange } from '@/lib/keys/confirm-change';
import { deactivateKey, requestKeyDeletion, requestKeyEdit } from '@/lib/keys/change';
import { keyring } from '@/lib/platform/keyring';
import type { OwnerContext } from '@/lib/identity/owner';

process.env.KEYDESK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

/**
 * The API drops its cached copy of a key when `keydesk_key_changed` arrives (lib/api/key-store.ts),
 * so every change to a key must send it, in its transaction — and a refused step must not.
 */
let handle: DbHandle;
let owner: OwnerContext;
const heard: string[] = [];

beforeAll(async () => {
  handle = openDatabase({ dir: 'memory://' });
  await handle.migrate();
  await seedDemo(handle.db);
  await handle.listen(KEY_CHANGED, (keyId) => heard.push(keyId));
  const [row] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, 'sms-owner@keydesk.test'));
  const user = (await findUserSummary(handle.db, row.id))!;
  owner = { user, accountId: user.membership!.accountId, accountName: user.membership!.accountName };
});

afterAll(() => handle.close());

async function newKey(name: string) {
  const publicKey = newPublicKey();
  const [key] = await handle.db
    .insert(apiKeys)
    .values({ accountId: owner.accountId, name, publicKey, secretEnc: encryptSecret(newApiSecret(), publicKey, keyring()), permissions: ['read'], ipWhitelist: [], status: 'active' })
    .returning({ id: apiKeys.id });
  return key.id;
}

async function lastSmsCode(): Promise<string> {
  const [m] = await handle.db.select({ body: outboxMessages.body }).from(outboxMessages).where(and(eq(outboxMessages.userId, owner.user.id), eq(outboxMessages.channel, 'sms'))).orderBy(desc(outboxMessages.createdAt)).limit(1);
  return m.body.match(/\b(\d{6})\b/)![1];
}

/** NOTIFY is delivered after commit, asynchronously. */
async function heardFor(keyId: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return heard.filter((id) => id === keyId).length;
}

const edit = (name: string, permissions: ('read' | 'trade')[]) => ({ name, permissions, ipWhitelist: [], expiresOn: null });

describe('notifyKeyChanged', () => {
  it('fires on deactivation', async () => {
    const keyId = await newKey('deactivated');
    expect((await deactivateKey(handle.db, owner, keyId, NO_REQUEST)).ok).toBe(true);
    expect(await heardFor(keyId)).toBe(1);
  });

  it('fires when an edit is applied — not when it is asked for, nor on a wrong code', async () => {
    const keyId = await newKey('edited');
    const started = await requestKeyEdit(handle.db, owner, keyId, edit('edited', ['read', 'trade']), NO_REQUEST);
    if (!started.ok) throw new Error('edit refused');
    const code = await lastSmsCode();
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await confirmKeyChange(handle.db, owner, keyId, started.changeId, wrong, NO_REQUEST)).ok).toBe(false);
    expect(await heardFor(keyId)).toBe(0);
    expect(await confirmKeyChange(handle.db, owner, keyId, started.changeId, code, NO_REQUEST)).toEqual({ ok: true, kind: 'edit', deactivated: true });
    expect(await heardFor(keyId)).toBe(1);
  });

  it('fires on deletion', async () => {
    const keyId = await newKey('deleted');
    const started = await requestKeyDeletion(handle.db, owner, keyId, NO_REQUEST);
    if (!started.ok) throw new Error('deletion refused');
    expect(await confirmKeyChange(handle.db, owner, keyId, started.changeId, await lastSmsCode(), NO_REQUEST)).toMatchObject({ ok: true, kind: 'delete' });
    expect(await heardFor(keyId)).toBe(1);
  });
});
