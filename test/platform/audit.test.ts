import { captureLogs } from '../support/log-capture';
import { asc } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey } from '@/app/settings/api-keys/new/actions';
import { confirmCreation } from '@/app/settings/api-keys/new/[creationId]/actions';
import { finishCreation } from '@/app/settings/api-keys/new/[creationId]/secret/actions';
import { confirmActivation } from '@/app/settings/api-keys/[keyId]/activate/actions';
import { beginTotpSetup, beginTwoFactorDisable, confirmDisable, confirmTotpSetup } from '@/app/settings/security/actions';
import { signOut } from '@/app/settings/actions';
import { signIn } from '@/app/sign-in/actions';
import { verifySignInCode } from '@/app/sign-in/verify/actions';
import { auditEvents, outboxMessages } from '@/db/schema';
import { requireOwner, requireUser } from '@/lib/web/auth';
import { revealCreatedKey } from '@/lib/keys/create';
import { sessionCookieName } from '@/lib/web/session';
import { pendingTotpSetup } from '@/lib/identity/two-factor';
import { Browser, currentBrowser, TEST_CLIENT_IP, TEST_USER_AGENT, useBrowser } from '../support/next-headers';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  db,
  form,
  IDLE,
  keysOf,
  latestCode,
  NEW_OWNER,
  otherThan,
  OWNER,
  redirectOf,
  SMS_OWNER,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

/** `needle` as a whole token: a 6-digit code inside a longer random id is not a leak. */
function containsToken(haystack: string, needle: string): boolean {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`).test(haystack);
}

async function auditText(): Promise<string[]> {
  const rows = await db().select().from(auditEvents).orderBy(asc(auditEvents.id));
  return rows.map((r) => JSON.stringify(r));
}

/** Every code the app sent, read from the outbox (security emails carry none: they are skipped). */
async function sentCodes(): Promise<string[]> {
  const rows = await db().select({ body: outboxMessages.body }).from(outboxMessages);
  return rows.flatMap((r) => r.body.match(/^(\d{6}) is /m)?.[1] ?? []);
}

describe('audit log', () => {
  it('a whole SMS journey is audited without any secret, code or password', async () => {
    const logged = captureLogs();
    const user = await userByEmail(SMS_OWNER);
    const typedCodes: string[] = [];
    const type = (code: string) => {
      typedCodes.push(code);
      return code;
    };

    // Sign in: a wrong password, then the password and the SMS code (one wrong first).
    useBrowser(new Browser());
    await signIn(IDLE, form({ email: SMS_OWNER, password: 'hunter2-wrong-password' }));
    await redirectOf(signIn(IDLE, form({ email: SMS_OWNER, password: DEMO_PASSWORD })));
    const signInCode = await latestCode(user.id);
    await verifySignInCode(IDLE, form({ code: type(otherThan(signInCode)) }));
    await redirectOf(verifySignInCode(IDLE, form({ code: type(signInCode) })));

    // Create a key (one wrong code), reveal it, activate it by email (one wrong code).
    const creationId = (
      await redirectOf(createApiKey(IDLE, form({ name: 'Audited', permissions: ['read', 'trade'], ipWhitelist: '192.0.2.0/24' })))
    )
      .split('/')
      .at(-1)!;
    const creationCode = await latestCode(user.id);
    await confirmCreation(IDLE, form({ creationId, code: type(otherThan(creationCode)) }));
    await redirectOf(confirmCreation(IDLE, form({ creationId, code: type(creationCode) })));
    const revealed = await revealCreatedKey(db(), await requireOwner(), creationId, { ip: TEST_CLIENT_IP, userAgent: TEST_USER_AGENT });
    const secret = revealed!.secret!;
    const [key] = await keysOf(user.accountId!);
    await redirectOf(finishCreation(IDLE, form({ creationId, saved: 'on', choice: 'activate' })));
    const activationCode = await latestCode(user.id, 'email');
    await confirmActivation(IDLE, form({ keyId: key.id, code: type(otherThan(activationCode)) }));
    await redirectOf(confirmActivation(IDLE, form({ keyId: key.id, code: type(activationCode) })));

    // Add an authenticator, then turn SMS off with an SMS code.
    await redirectOf(beginTotpSetup(form({})));
    const totpSecret = (await pendingTotpSetup(db(), await requireUser()))!.secret;
    await redirectOf(confirmTotpSetup(IDLE, form({ code: type(await totpCode(totpSecret)) })));
    await redirectOf(beginTwoFactorDisable(form({ method: 'sms' })));
    await redirectOf(confirmDisable(IDLE, form({ code: type(await latestCode(user.id)) })));
    await redirectOf(signOut(form({})));
    vi.restoreAllMocks();

    const actions = (await db().select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'sign_in.failure',
        'sign_in.code_required',
        'code.sent',
        'code.failed',
        'sign_in.success',
        'key_creation.pending',
        'api_key.created',
        'api_key.secret_revealed',
        'api_key.activated',
        'two_factor.enabled',
        'two_factor.disabled',
        'sign_out',
      ]),
    );

    const rows = await auditText();
    const forbidden = [secret, key.secretEnc, totpSecret, DEMO_PASSWORD, 'hunter2-wrong-password', ...(await sentCodes()), ...typedCodes];
    for (const row of rows) {
      for (const value of forbidden) expect(containsToken(row, value), `audit row ${row} contains ${value}`).toBe(false);
    }
    // The outbox logs that a message went out, never what it said.
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) {
      for (const value of forbidden) expect(containsToken(line, value), `log line ${line}`).toBe(false);
    }
  });

  it('events carry who, the account, the key, the IP and the user agent', async () => {
    const owner = await userByEmail(OWNER);
    useBrowser(new Browser());
    await redirectOf(signIn(IDLE, form({ email: OWNER, password: DEMO_PASSWORD })));
    await redirectOf(verifySignInCode(IDLE, form({ code: await totpCode(DEMO_TOTP_SECRET, -1) })));
    const creationId = (await redirectOf(createApiKey(IDLE, form({ name: 'Tracked', permissions: ['read'], ipWhitelist: '' }))))
      .split('/')
      .at(-1)!;
    await redirectOf(confirmCreation(IDLE, form({ creationId, code: await totpCode(DEMO_TOTP_SECRET) })));
    const [key] = await keysOf(owner.accountId!);

    const rows = await db().select().from(auditEvents).orderBy(asc(auditEvents.id));
    for (const row of rows) {
      expect(row).toMatchObject({ actorUserId: owner.id, ip: TEST_CLIENT_IP, userAgent: TEST_USER_AGENT });
    }
    expect(rows.find((r) => r.action === 'key_creation.pending')).toMatchObject({
      accountId: owner.accountId,
      details: { name: 'Tracked', permissions: ['read'], ipWhitelist: [] },
    });
    expect(rows.find((r) => r.action === 'api_key.created')).toMatchObject({
      accountId: owner.accountId,
      apiKeyId: key.id,
      details: { method: 'totp' },
    });
  });

  it('a failed sign-in records the email tried, never the password', async () => {
    await signIn(IDLE, form({ email: NEW_OWNER, password: 'correct horse battery staple' }));
    const [row] = await auditText();
    expect(row).toContain(NEW_OWNER);
    expect(row).not.toContain('correct horse');
  });
});

describe('signOut', () => {
  it('ends the session and records it', async () => {
    useBrowser(new Browser());
    await redirectOf(signIn(IDLE, form({ email: NEW_OWNER, password: DEMO_PASSWORD })));
    expect(currentBrowser().cookie(sessionCookieName())).toBeTruthy();
    expect(await redirectOf(signOut(form({})))).toBe('/sign-in');
    expect(currentBrowser().cookie(sessionCookieName())).toBeUndefined();
    expect((await db().select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action)).toEqual([
      'sign_in.success',
      'sign_out',
    ]);
    expect(await redirectOf(beginTotpSetup(form({})))).toBe('/sign-in?callbackUrl=%2Fsettings%2Fsecurity');
  });
});
