import { eq, sql } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '@/app/settings/api-keys/new/actions';
import { chooseMethod, confirmCreation, resendCode } from '@/app/settings/api-keys/new/[creationId]/actions';
import { finishCreation } from '@/app/settings/api-keys/new/[creationId]/secret/actions';
import { confirmActivation, requestActivation, resendActivation } from '@/app/settings/api-keys/[keyId]/activate/actions';
import { memberships, users } from '@/db/schema';
import { sessionCookieName } from '@/lib/web/session';
import { Browser, currentBrowser, useBrowser } from '../support/next-headers';
import {
  addSms,
  ADMIN,
  advanceTime,
  creationById,
  db,
  DEMO_TOTP_SECRET,
  form,
  IDLE,
  latestCode,
  MEMBER,
  OWNER,
  redirectOf,
  signedOut,
  signInAs,
  snapshot,
  STANDARD,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

interface Targets {
  pendingCreationId: string;
  createdCreationId: string;
  keyId: string;
  creationCode: string;
  activationCode: string;
}

/**
 * Real things in Atlas Capital (whose member is one of the callers): a created key waiting for
 * its activation code, and a pending creation waiting for its SMS code. Refused callers submit
 * the right codes and ids, and still change nothing.
 */
async function atlasTargets(): Promise<Targets> {
  await addSms(OWNER);
  const owner = await userByEmail(OWNER);
  await signInAs(OWNER);
  const created = (await redirectOf(createApiKey(IDLE, form({ name: 'Created', permissions: ['read'], ipWhitelist: '' }))))
    .split('/')
    .at(-1)!;
  await redirectOf(chooseMethod(form({ creationId: created, method: 'totp' })));
  await redirectOf(confirmCreation(IDLE, form({ creationId: created, code: await totpCode(DEMO_TOTP_SECRET) })));
  const apiKeyId = (await creationById(created))!.apiKeyId!;
  await redirectOf(finishCreation(IDLE, form({ creationId: created, saved: 'on', choice: 'activate' })));
  const activationCode = await latestCode(owner.id, 'email');

  const pending = (await redirectOf(createApiKey(IDLE, form({ name: 'Pending', permissions: ['read'], ipWhitelist: '' }))))
    .split('/')
    .at(-1)!;
  await redirectOf(chooseMethod(form({ creationId: pending, method: 'sms' })));
  const creationCode = await latestCode(owner.id, 'sms');
  advanceTime(3 * 60_000); // so a resend would be allowed, were the caller allowed at all
  return { pendingCreationId: pending, createdCreationId: created, keyId: apiKeyId, creationCode, activationCode };
}

/** Every owner action, posted with real ids and right codes. */
function ownerActions(t: Targets): [string, () => Promise<unknown>][] {
  return [
    ['createApiKey', () => createApiKey(IDLE, form({ name: 'Intruder key', permissions: ['read', 'funds_external'], ipWhitelist: '' }))],
    ['chooseMethod', () => chooseMethod(form({ creationId: t.pendingCreationId, method: 'sms' }))],
    ['resendCode', () => resendCode(form({ creationId: t.pendingCreationId }))],
    ['confirmCreation', () => confirmCreation(IDLE, form({ creationId: t.pendingCreationId, code: t.creationCode }))],
    ['finishCreation', () => finishCreation(IDLE, form({ creationId: t.createdCreationId, saved: 'on', choice: 'activate' }))],
    ['requestActivation', () => requestActivation(form({ keyId: t.keyId }))],
    ['resendActivation', () => resendActivation(form({ keyId: t.keyId }))],
    ['confirmActivation', () => confirmActivation(IDLE, form({ keyId: t.keyId, code: t.activationCode }))],
  ];
}

let targets: Targets;
beforeEach(async () => {
  targets = await atlasTargets();
});

async function expectAllRefused(expectedRedirect: string) {
  const before = await snapshot();
  for (const [name, run] of ownerActions(targets)) {
    const outcome = await redirectOf(run()).catch((error: unknown) => `threw ${String(error)}`);
    expect(outcome, name).toBe(expectedRedirect);
  }
  expect(await snapshot()).toEqual(before);
}

describe('owner actions refuse everyone but the owner, and write nothing', () => {
  it.each([
    ['a member of the same account', MEMBER],
    ['the owner of a standard account', STANDARD],
    ['a platform admin', ADMIN],
  ])('%s is sent to the API keys page', async (_label, email) => {
    await signInAs(email);
    await expectAllRefused('/settings/api-keys');
  });

  it('a signed-out visitor is sent to sign in', async () => {
    signedOut();
    await expectAllRefused('/sign-in?callbackUrl=%2Fsettings%2Fapi-keys');
  });

  it('a session from before a token-version bump (signed out everywhere) is no session', async () => {
    await signInAs(OWNER);
    await db()
      .update(users)
      .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.email, OWNER));
    await expectAllRefused('/sign-in?callbackUrl=%2Fsettings%2Fapi-keys');
  });

  it('a disabled owner is refused', async () => {
    await signInAs(OWNER);
    await db().update(users).set({ disabledAt: new Date() }).where(eq(users.email, OWNER));
    await expectAllRefused('/sign-in?callbackUrl=%2Fsettings%2Fapi-keys');
  });

  it('an owner demoted to member is refused at once (roles are re-read, not taken from the cookie)', async () => {
    await signInAs(OWNER);
    const owner = await userByEmail(OWNER);
    await db().update(memberships).set({ role: 'member' }).where(eq(memberships.userId, owner.id));
    await expectAllRefused('/settings/api-keys');
  });

  it('a session cookie made with another secret is no session', async () => {
    const owner = await userByEmail(OWNER);
    const forged = await encode({ token: { sub: owner.id, tv: owner.tokenVersion }, secret: 'not-the-server-secret' });
    const browser = useBrowser(new Browser());
    browser.jar.set(sessionCookieName(), { value: forged, options: {} });
    expect(currentBrowser().cookie(sessionCookieName())).toBe(forged);
    await expectAllRefused('/sign-in?callbackUrl=%2Fsettings%2Fapi-keys');
  });

  it('a garbage session cookie is no session', async () => {
    const browser = useBrowser(new Browser());
    browser.jar.set(sessionCookieName(), { value: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', options: {} });
    await expectAllRefused('/sign-in?callbackUrl=%2Fsettings%2Fapi-keys');
  });
});

describe('the owner, for contrast', () => {
  it('the same requests by the owner do go through', async () => {
    await signInAs(OWNER);
    expect(await redirectOf(confirmActivation(IDLE, form({ keyId: targets.keyId, code: targets.activationCode })))).toBe(
      '/settings/api-keys?notice=activated',
    );
    expect(await redirectOf(confirmCreation(IDLE, form({ creationId: targets.pendingCreationId, code: targets.creationCode })))).toBe(
      `/settings/api-keys/new/${targets.pendingCreationId}/secret`,
    );
  });
});
