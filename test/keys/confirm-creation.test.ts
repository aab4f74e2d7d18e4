import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey } from '@/app/settings/api-keys/new/actions';
import { chooseMethod, confirmCreation, resendCode } from '@/app/settings/api-keys/new/[creationId]/actions';
import { finishCreation } from '@/app/settings/api-keys/new/[creationId]/secret/actions';
import { auditEvents, challenges } from '@/db/schema';
import { requireOwner } from '@/lib/web/auth';
import { decryptSecret } from '@/lib/platform/crypto';
import { revealCreatedKey } from '@/lib/keys/create';
import { keyring } from '@/lib/platform/keyring';
import { NO_REQUEST } from '@/lib/platform/audit';
import { useBrowser, type Browser } from '../support/next-headers';
import {
  addSms,
  advanceTime,
  auditActions,
  countRows,
  creationById,
  db,
  DEMO_TOTP_SECRET,
  expectNotFound,
  form,
  IDLE,
  keysOf,
  latestChallenge,
  latestCode,
  otherThan,
  outboxOf,
  OWNER,
  redirectOf,
  signInAs,
  SMS_OWNER,
  snapshot,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';
import { makeKey } from '../support/keys';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

interface Started {
  browser: Browser;
  creationId: string;
  userId: string;
  accountId: string;
}

/** Signs `email` in and submits a valid new-key form; returns the pending creation. */
async function startCreation(email: string, name = 'Trading bot'): Promise<Started> {
  const browser = await signInAs(email);
  const to = await redirectOf(createApiKey(IDLE, form({ name, permissions: ['read', 'trade'], ipWhitelist: '198.51.100.0/24' })));
  const creationId = to.split('/').at(-1)!;
  const user = await userByEmail(email);
  return { browser, creationId, userId: user.id, accountId: user.accountId! };
}

const confirm = (creationId: string, code: string) => confirmCreation(IDLE, form({ creationId, code }));
const secretPage = (id: string) => `/settings/api-keys/new/${id}/secret`;

describe('confirmCreation', () => {
  it('a wrong code says how many attempts are left; nothing is created', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    const right = await latestCode(userId);
    expect(await confirm(creationId, otherThan(right))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Incorrect code, 4 attempts left'] },
    });
    expect(await confirm(creationId, otherThan(right))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Incorrect code, 3 attempts left'] },
    });
    expect(await keysOf(accountId)).toHaveLength(0);
    expect((await creationById(creationId))?.status).toBe('pending_confirmation');
  });

  it('5 wrong codes void the creation: the right code then creates nothing', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    const right = await latestCode(userId);
    for (let i = 0; i < 4; i++) await confirm(creationId, otherThan(right));
    expect(await confirm(creationId, otherThan(right))).toEqual({
      status: 'error',
      message: 'Too many incorrect codes. This request has ended — start again.',
    });
    expect((await creationById(creationId))?.status).toBe('void');
    expect(await confirm(creationId, right)).toEqual({ status: 'error', message: 'This request has ended — start again.' });
    expect(await keysOf(accountId)).toHaveLength(0);
    expect(await auditActions()).toEqual(expect.arrayContaining(['code.locked', 'key_creation.void']));
    // Resend cannot revive it either.
    advanceTime(3 * 60_000);
    const sent = (await outboxOf(userId)).length;
    expect(await redirectOf(resendCode(form({ creationId })))).toBe(`/settings/api-keys/new/${creationId}`);
    expect(await outboxOf(userId)).toHaveLength(sent);
  });

  it('an expired SMS code is refused without counting; a resent code works', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    const first = await latestCode(userId);
    advanceTime(5 * 60_000 + 1000);
    expect(await confirm(creationId, first)).toEqual({
      status: 'error',
      fieldErrors: { code: ['This code has expired — request a new one'] },
    });
    expect((await latestChallenge(userId, 'key_creation'))?.failedAttempts).toBe(0);
    expect(await redirectOf(resendCode(form({ creationId })))).toBe(`/settings/api-keys/new/${creationId}?resent=1`);
    expect(await redirectOf(confirm(creationId, await latestCode(userId)))).toBe(secretPage(creationId));
    expect(await keysOf(accountId)).toHaveLength(1);
  });

  it('resend is refused before 2 minutes: no new message', async () => {
    const { creationId, userId } = await startCreation(SMS_OWNER);
    advanceTime(119_000);
    expect(await redirectOf(resendCode(form({ creationId })))).toBe(`/settings/api-keys/new/${creationId}`);
    expect(await outboxOf(userId)).toHaveLength(1);
    advanceTime(1000);
    expect(await redirectOf(resendCode(form({ creationId })))).toBe(`/settings/api-keys/new/${creationId}?resent=1`);
    expect(await outboxOf(userId)).toHaveLength(2);
  });

  it('the right code creates an inactive key with an encrypted secret, audited in the same transaction', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    const code = await latestCode(userId);
    expect(await redirectOf(confirm(creationId, code))).toBe(secretPage(creationId));

    const [key] = await keysOf(accountId);
    expect(key).toMatchObject({
      name: 'Trading bot',
      status: 'inactive',
      permissions: ['read', 'trade'],
      ipWhitelist: ['198.51.100.0/24'],
      createdBy: userId,
      activatedAt: null,
    });
    expect(key.publicKey).toMatch(/^kd_[A-Za-z0-9_-]{32}$/);
    expect(key.secretEnc).toMatch(/^v1\.k1\./);
    expect(await creationById(creationId)).toMatchObject({ status: 'created', apiKeyId: key.id, secretRevealedAt: null });

    const [created] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'api_key.created'));
    expect(created).toMatchObject({ apiKeyId: key.id, accountId, actorUserId: userId, success: true });
    expect(created.details).toMatchObject({ name: 'Trading bot', publicKey: key.publicKey, method: 'sms' });
    // now() is the transaction's start time: equal timestamps mean one transaction wrote both.
    expect(created.at.getTime()).toBe(key.createdAt.getTime());

    const revealed = await revealCreatedKey(db(), await requireOwner(), creationId, NO_REQUEST);
    expect(revealed?.secret).toBeTruthy();
    expect(key.secretEnc).not.toContain(revealed!.secret!);
    expect(JSON.stringify(created)).not.toContain(revealed!.secret!);
    expect(JSON.stringify(created)).not.toContain(code);
  });

  it('an authenticator owner confirms with a TOTP code', async () => {
    const { creationId, accountId } = await startCreation(OWNER);
    expect(await confirm(creationId, otherThan(await totpCode(DEMO_TOTP_SECRET)))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Incorrect code, 4 attempts left'] },
    });
    expect(await redirectOf(confirm(creationId, await totpCode(DEMO_TOTP_SECRET)))).toBe(secretPage(creationId));
    expect(await keysOf(accountId)).toHaveLength(1);
    const [created] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'api_key.created'));
    expect(created.details).toMatchObject({ method: 'totp' });
  });

  it('two concurrent confirmations create exactly one key', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    const code = await latestCode(userId);
    const outcomes = await Promise.allSettled([confirm(creationId, code), confirm(creationId, code)]);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { redirectTo: secretPage(creationId) } });
    }
    expect(await keysOf(accountId)).toHaveLength(1);
    expect((await auditActions()).filter((a) => a === 'api_key.created')).toHaveLength(1);
  });

  it('concurrent wrong codes are all counted (no lost updates)', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    const right = await latestCode(userId);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => confirm(creationId, otherThan(right))));
    expect(outcomes.filter((o) => o.status === 'error' && o.message?.startsWith('Too many incorrect codes'))).toHaveLength(1);
    expect((await creationById(creationId))?.status).toBe('void');
    expect(await confirm(creationId, right)).toMatchObject({ status: 'error', message: 'This request has ended — start again.' });
    expect(await keysOf(accountId)).toHaveLength(0);
  });

  it('a double submit after success keeps the one key', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    const code = await latestCode(userId);
    await redirectOf(confirm(creationId, code));
    expect(await redirectOf(confirm(creationId, code))).toBe(secretPage(creationId));
    expect(await keysOf(accountId)).toHaveLength(1);
  });

  it("another owner's creation id answers notFound and changes nothing", async () => {
    const victim = await startCreation(SMS_OWNER);
    const code = await latestCode(victim.userId);
    await signInAs(OWNER);
    const before = await snapshot();
    await expectNotFound(confirm(victim.creationId, code));
    await expectNotFound(resendCode(form({ creationId: victim.creationId })));
    await expectNotFound(chooseMethod(form({ creationId: victim.creationId, method: 'totp' })));
    await expectNotFound(finishCreation(IDLE, form({ creationId: victim.creationId, saved: 'on', choice: 'activate' })));
    expect(await snapshot()).toEqual(before);
    expect(await revealCreatedKey(db(), await requireOwner(), victim.creationId, NO_REQUEST)).toBeNull();

    // The rightful owner is unaffected: no attempts were used up.
    useBrowser(victim.browser);
    expect(await redirectOf(confirm(victim.creationId, code))).toBe(secretPage(victim.creationId));
  });

  it.each(['not-a-uuid', '', "1' or '1'='1"])('a malformed creation id (%s) answers notFound', async (creationId) => {
    await startCreation(SMS_OWNER);
    const before = await snapshot();
    await expectNotFound(confirm(creationId, '123456'));
    await expectNotFound(resendCode(form({ creationId })));
    await expectNotFound(chooseMethod(form({ creationId, method: 'sms' })));
    await expectNotFound(finishCreation(IDLE, form({ creationId, saved: 'on' })));
    expect(await snapshot()).toEqual(before);
  });

  it('a creation replaced by a newer request cannot be confirmed with its code', async () => {
    const first = await startCreation(SMS_OWNER, 'first');
    const firstCode = await latestCode(first.userId);
    await redirectOf(createApiKey(IDLE, form({ name: 'second', permissions: ['read'], ipWhitelist: '' })));
    expect(await confirm(first.creationId, firstCode)).toEqual({ status: 'error', message: 'This request has ended — start again.' });
    expect(await keysOf(first.accountId)).toHaveLength(0);
  });

  it('limits are checked again at confirmation: a name taken meanwhile voids the request', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER, 'Bot');
    await makeKey(db(), { accountId, name: 'BOT', status: 'inactive' });
    expect(await confirm(creationId, await latestCode(userId))).toEqual({
      status: 'error',
      message: "An API key named 'Bot' already exists in this account. This request has ended.",
    });
    expect((await creationById(creationId))?.status).toBe('void');
    expect(await keysOf(accountId)).toHaveLength(1);
  });

  it('limits are checked again at confirmation: the 21st key is refused', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    for (let i = 0; i < 20; i++) await makeKey(db(), { accountId, name: `key ${i}`, status: 'inactive' });
    const state = await confirm(creationId, await latestCode(userId));
    expect(state).toMatchObject({ status: 'error', message: expect.stringContaining('already has 20 API keys') });
    expect(await keysOf(accountId)).toHaveLength(20);
  });
});

describe('chooseMethod (owner with SMS and an authenticator)', () => {
  it('picks SMS (a code is sent) or the authenticator', async () => {
    await addSms(OWNER);
    const { creationId, userId, accountId } = await startCreation(OWNER);
    expect(await confirm(creationId, '123456')).toEqual({
      status: 'error',
      fieldErrors: { code: ['Choose how to receive your code first.'] },
    });

    expect(await redirectOf(chooseMethod(form({ creationId, method: 'sms' })))).toBe(`/settings/api-keys/new/${creationId}`);
    expect(await outboxOf(userId)).toHaveLength(1);
    expect(await latestChallenge(userId, 'key_creation')).toMatchObject({ method: 'sms', status: 'pending' });

    await redirectOf(chooseMethod(form({ creationId, method: 'totp' })));
    expect(await latestChallenge(userId, 'key_creation')).toMatchObject({ method: 'totp', status: 'pending' });
    expect(await redirectOf(confirm(creationId, await totpCode(DEMO_TOTP_SECRET)))).toBe(secretPage(creationId));
    expect(await keysOf(accountId)).toHaveLength(1);
  });

  it('choosing a method again does not reset the wrong-code count', async () => {
    await addSms(OWNER);
    const { creationId, accountId } = await startCreation(OWNER);
    await redirectOf(chooseMethod(form({ creationId, method: 'totp' })));
    const right = await totpCode(DEMO_TOTP_SECRET);
    for (let i = 0; i < 4; i++) await confirm(creationId, otherThan(right));
    await redirectOf(chooseMethod(form({ creationId, method: 'sms' })));
    await redirectOf(chooseMethod(form({ creationId, method: 'totp' })));
    expect(await confirm(creationId, otherThan(right))).toEqual({
      status: 'error',
      message: 'Too many incorrect codes. This request has ended — start again.',
    });
    expect(await keysOf(accountId)).toHaveLength(0);
  });

  it('a method the owner does not have is refused: nothing sent', async () => {
    const { creationId, userId } = await startCreation(OWNER);
    const before = await snapshot();
    expect(await redirectOf(chooseMethod(form({ creationId, method: 'sms' })))).toBe(`/settings/api-keys/new/${creationId}`);
    expect(await snapshot()).toEqual(before);
    expect(await outboxOf(userId)).toHaveLength(0);
  });
});

describe('revealCreatedKey (the secret page)', () => {
  it('shows the secret exactly once; it is what the stored value decrypts to', async () => {
    const { creationId, userId, accountId } = await startCreation(SMS_OWNER);
    await redirectOf(confirm(creationId, await latestCode(userId)));
    const owner = await requireOwner();

    const first = await revealCreatedKey(db(), owner, creationId, NO_REQUEST);
    const [key] = await keysOf(accountId);
    expect(first).toMatchObject({ keyId: key.id, name: 'Trading bot', publicKey: key.publicKey, status: 'inactive' });
    expect(first!.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decryptSecret(key.secretEnc, key.publicKey, keyring())).toBe(first!.secret);
    expect(key.secretEnc).not.toBe(first!.secret);

    const second = await revealCreatedKey(db(), owner, creationId, NO_REQUEST);
    expect(second).toMatchObject({ keyId: key.id, publicKey: key.publicKey, secret: null });
    expect((await auditActions()).filter((a) => a === 'api_key.secret_revealed')).toHaveLength(1);
  });

  it('two simultaneous views: only one gets the secret', async () => {
    const { creationId, userId } = await startCreation(SMS_OWNER);
    await redirectOf(confirm(creationId, await latestCode(userId)));
    const owner = await requireOwner();
    const views = await Promise.all([
      revealCreatedKey(db(), owner, creationId, NO_REQUEST),
      revealCreatedKey(db(), owner, creationId, NO_REQUEST),
    ]);
    expect(views.filter((v) => v?.secret)).toHaveLength(1);
  });

  it('nothing is revealed for a creation still waiting for its code', async () => {
    const { creationId } = await startCreation(SMS_OWNER);
    expect(await revealCreatedKey(db(), await requireOwner(), creationId, NO_REQUEST)).toBeNull();
  });
});

describe('finishCreation (after the secret was shown)', () => {
  async function createdKey() {
    const started = await startCreation(SMS_OWNER);
    await redirectOf(confirm(started.creationId, await latestCode(started.userId)));
    await revealCreatedKey(db(), await requireOwner(), started.creationId, NO_REQUEST);
    const [key] = await keysOf(started.accountId);
    return { ...started, keyId: key.id };
  }

  it('without "I have saved the API secret" it is a field error and nothing happens', async () => {
    const { creationId } = await createdKey();
    const before = await snapshot();
    for (const choice of ['activate', 'later']) {
      expect(await finishCreation(IDLE, form({ creationId, choice }))).toEqual({
        status: 'error',
        fieldErrors: { saved: ['Confirm that you have saved the API Secret: it cannot be shown again.'] },
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  /** Messages sent after `count` were (the security email "API key created" came before). */
  const sentSince = async (userId: string, count: number) => (await outboxOf(userId)).slice(count);

  it('ACTIVATE LATER goes back to the list with the key inactive, and sends nothing', async () => {
    const { creationId, userId, accountId } = await createdKey();
    const sent = (await outboxOf(userId)).length;
    const before = await countRows();
    expect(await redirectOf(finishCreation(IDLE, form({ creationId, saved: 'on', choice: 'later' })))).toBe(
      '/settings/api-keys?notice=later',
    );
    expect((await keysOf(accountId))[0].status).toBe('inactive');
    expect(await countRows()).toEqual(before);
    expect(await sentSince(userId, sent)).toHaveLength(0);
  });

  it('ACTIVATE sends an email code and goes to the activation step', async () => {
    const { creationId, userId, keyId, accountId } = await createdKey();
    const sent = (await outboxOf(userId)).length;
    expect(await redirectOf(finishCreation(IDLE, form({ creationId, saved: 'on', choice: 'activate' })))).toBe(
      `/settings/api-keys/${keyId}/activate`,
    );
    const emails = await sentSince(userId, sent);
    expect(emails).toHaveLength(1);
    expect(emails[0].destination).toBe(SMS_OWNER);
    expect(emails[0].channel).toBe('email');
    expect(emails[0].body).toMatch(/^\d{6} is the code to activate your Keydesk API key "Trading bot"\./m);
    expect((await keysOf(accountId))[0].status).toBe('inactive');
    expect(await db().select().from(challenges).where(eq(challenges.purpose, 'key_activation'))).toHaveLength(1);
  });

  it('a creation still waiting for its code cannot be finished', async () => {
    const { creationId } = await startCreation(SMS_OWNER);
    await expectNotFound(finishCreation(IDLE, form({ creationId, saved: 'on', choice: 'activate' })));
  });
});
