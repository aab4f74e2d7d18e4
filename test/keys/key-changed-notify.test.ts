import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserSummary } from '@/db/queries/users';
import { outboxMessages, users } from '@/db/schema';
import { NO_REQUEST } from '@/lib/platform/audit';
import { KEY_CHANGED } from '@/lib/platform/events';
import { confirmKeyChange } from '@/lib/keys/confirm-change';
import { deactivateKey, requestKeyDeletion, requestKeyEdit } from '@/lib/keys/change';
import { liftSuspension, revokeKey, suspendKey } from '@/lib/keys/admin';
import type { OwnerContext } from '@/lib/identity/owner';
import { createSeededTestDatabase, type TestDatabase } from '../support/databases';
import { makeKey } from '../support/keys';

/**
 * The API drops its cached copy of a key when `keydesk_key_changed` arrives (lib/api/key-store.ts),
 * so every change to a key — the owner's and an administrator's — must send it, in its
 * transaction, and a refused step must not. A real LISTEN on that channel hears them.
 */
let handle: TestDatabase;
let owner: OwnerContext;
let adminId: string;
const heard: string[] = [];

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  await handle.listen(KEY_CHANGED, (keyId) => heard.push(keyId));
  const [row] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, 'sms-owner@keydesk.test'));
  const user = (await findUserSummary(handle.db, row.id))!;
  owner = { user, accountId: user.membership!.accountId, accountName: user.membership!.accountName };
  [{ id: adminId }] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, 'admin@keydesk.test'));
});

afterAll(() => handle?.dispose());

/** A new active key of the owner's account (Borealis Markets). */
async function newKey(name?: string): Promise<string> {
  return (await makeKey(handle.db, { accountId: owner.accountId, name })).id;
}

async function lastSmsCode(): Promise<string> {
  const [m] = await handle.db
    .select({ body: outboxMessages.body })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.userId, owner.user.id), eq(outboxMessages.channel, 'sms')))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(1);
  return m.body.match(/\b(\d{6})\b/)![1];
}

/** NOTIFY is delivered after commit, asynchronously. */
async function heardFor(keyId: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return heard.filter((id) => id === keyId).length;
}

/** Everything heard since the last call. */
async function heardNow(): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 50));
  return heard.splice(0);
}

const edit = (name: string, permissions: ('read' | 'trade')[]) => ({ name, permissions, ipWhitelist: [], expiry: null });

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
    expect(await confirmKeyChange(handle.db, owner, keyId, started.changeId, code, NO_REQUEST)).toEqual({
      ok: true,
      kind: 'edit',
      deactivated: true,
    });
    expect(await heardFor(keyId)).toBe(1);
  });

  it('fires on deletion', async () => {
    const keyId = await newKey('deleted');
    const started = await requestKeyDeletion(handle.db, owner, keyId, NO_REQUEST);
    if (!started.ok) throw new Error('deletion refused');
    expect(await confirmKeyChange(handle.db, owner, keyId, started.changeId, await lastSmsCode(), NO_REQUEST)).toMatchObject({
      ok: true,
      kind: 'delete',
    });
    expect(await heardFor(keyId)).toBe(1);
  });
});

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
    expect(await suspendKey(handle.db, admin, '00000000-0000-4000-8000-000000000000', 'nobody', NO_REQUEST)).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(await heardNow()).toEqual([]);
  });
});
