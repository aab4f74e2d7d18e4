import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { chooseLockDownMethodAction, confirmLockDownAction } from '@/app/settings/lock-down/actions';
import NotMePage from '@/app/settings/security/not-me/[token]/page';
import { findUserSummary } from '@/db/queries/users';
import { notMeLinks, outboxMessages } from '@/db/schema';
import { deactivateKey } from '@/lib/keys/change';
import { changePassword } from '@/lib/identity/credentials';
import { LINK_MESSAGES } from '@/lib/keys/lock-down';
import { readNotMeLink } from '@/lib/identity/not-me-links';
import { getCurrentUser } from '@/lib/web/auth';
import { randomToken } from '@/lib/platform/crypto';
import type { RequestContext } from '@/lib/platform/audit';
import { useBrowser, type Browser } from '../support/next-headers';
import {
  advanceTime,
  auditActions,
  db,
  DEMO_TOTP_SECRET,
  expectNotFound,
  form,
  IDLE,
  keyRow,
  latestCode,
  makeKeyFor,
  MEMBER,
  OWNER,
  redirectOf,
  signedOut,
  signInAs,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const FROM: RequestContext = { ip: '198.51.100.23', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' };
const LINK = /http:\/\/localhost:3000\/settings\/security\/not-me\/([\w-]{43})/;

const emailsTo = async (userId: string) =>
  (await db().select().from(outboxMessages).where(eq(outboxMessages.userId, userId))).filter((m) => m.channel === 'email');

/** Three keys of the owner (two active), and the "This wasn't me" link of the email a deactivation sent. */
async function ownerWithLink() {
  const bot = await makeKeyFor(OWNER, { name: 'Bot' });
  const feed = await makeKeyFor(OWNER, { name: 'Feed' });
  const spare = await makeKeyFor(OWNER, { name: 'Spare' });
  const user = (await findUserSummary(db(), bot.user.id))!;
  const owner = { user, accountId: user.membership!.accountId, accountName: user.membership!.accountName };
  expect((await deactivateKey(db(), owner, spare.key.id, FROM)).ok).toBe(true);
  const [email] = await emailsTo(user.id);
  expect(email.subject).toBe('API key deactivated: “Spare”');
  const token = LINK.exec(email.body)?.[1];
  expect(email.html).toContain(`/settings/security/not-me/${token}`);
  return { keys: [bot.key, feed.key, spare.key], userId: user.id, token: token! };
}

const statuses = async (keys: { id: string }[]) => Promise.all(keys.map(async (k) => (await keyRow(k.id))?.status));
const confirm = (fields: Record<string, string>) => confirmLockDownAction(IDLE, form(fields));
const signedInAs = async (browser: Browser) => {
  useBrowser(browser);
  return (await getCurrentUser())?.email ?? null;
};

describe('"This wasn\'t me" link', () => {
  it('signed out, the page sends the person to sign in and back to the link', async () => {
    const { token } = await ownerWithLink();
    signedOut();
    const to = await redirectOf(NotMePage({ params: Promise.resolve({ token }), searchParams: Promise.resolve({}) }));
    expect(to).toBe(`/sign-in?callbackUrl=${encodeURIComponent(`/settings/security/not-me/${token}`)}`);
  });

  it('with one code: every active key deactivated, every other session ended, one email, audited — once', async () => {
    const { keys, userId, token } = await ownerWithLink();
    const elsewhere = await signInAs(OWNER);
    const here = await signInAs(OWNER);
    const before = (await emailsTo(userId)).length;
    expect(await redirectOf(confirm({ token, code: await totpCode(DEMO_TOTP_SECRET) }))).toBe('/settings/api-keys?notice=all-deactivated');

    expect(await statuses(keys)).toEqual(['inactive', 'inactive', 'inactive']);
    expect(await signedInAs(elsewhere)).toBeNull();
    expect(await signedInAs(here)).toBe(OWNER);
    const emails = (await emailsTo(userId)).slice(before);
    expect(emails.map((m) => m.subject)).toEqual(['All your API keys were deactivated']);
    expect(emails[0].body).toContain('“Bot”');
    expect(emails[0].body).toContain('“Feed”');
    expect(emails[0].body).not.toContain('“Spare”');
    expect(emails[0].body).toMatch(LINK);
    const actions = await auditActions();
    expect(actions.filter((a) => a === 'api_key.deactivated')).toHaveLength(3); // Spare earlier, then Bot and Feed
    expect(actions).toContain('account.locked_down');
    expect((await readNotMeLink(db(), token, userId)).status).toBe('used');

    // The same link again: refused with a clear message, nothing more happens.
    const replay = await confirm({ token, code: await totpCode(DEMO_TOTP_SECRET, 1) });
    expect(replay).toEqual({ status: 'error', message: LINK_MESSAGES.used });
    expect((await emailsTo(userId)).length).toBe(before + 1);
  });

  it('expires after 24 hours', async () => {
    const { keys, userId, token } = await ownerWithLink();
    advanceTime(24 * 60 * 60_000 + 1000);
    await signInAs(OWNER);
    expect(await confirm({ token, code: await totpCode(DEMO_TOTP_SECRET) })).toEqual({ status: 'error', message: LINK_MESSAGES.expired });
    expect(await statuses(keys)).toEqual(['active', 'active', 'inactive']);
    expect((await readNotMeLink(db(), token, userId)).status).toBe('expired');
  });

  it('a made-up or malformed token is not found, and nothing changes', async () => {
    const { keys } = await ownerWithLink();
    await signInAs(OWNER);
    await expectNotFound(confirm({ token: randomToken(32), code: await totpCode(DEMO_TOTP_SECRET) }));
    await expectNotFound(confirm({ token: '../../api-keys', code: await totpCode(DEMO_TOTP_SECRET, 1) }));
    await expectNotFound(NotMePage({ params: Promise.resolve({ token: randomToken(32) }), searchParams: Promise.resolve({}) }));
    expect(await statuses(keys)).toEqual(['active', 'active', 'inactive']);
  });

  it("another person's link is not found for them, and stays valid for its owner", async () => {
    const { keys, userId, token } = await ownerWithLink();
    await signInAs(MEMBER);
    await expectNotFound(NotMePage({ params: Promise.resolve({ token }), searchParams: Promise.resolve({}) }));
    await expectNotFound(confirm({ token, code: '123456' }));
    expect(await statuses(keys)).toEqual(['active', 'active', 'inactive']);
    expect((await readNotMeLink(db(), token, userId)).status).toBe('valid');
  });

  it('a wrong code changes nothing and leaves the link usable', async () => {
    const { keys, userId, token } = await ownerWithLink();
    await signInAs(OWNER);
    const state = await confirm({ token, code: '000000' });
    expect(state.status).toBe('error');
    expect(await statuses(keys)).toEqual(['active', 'active', 'inactive']);
    expect((await readNotMeLink(db(), token, userId)).status).toBe('valid');
  });

  it('only a hash of the token is stored', async () => {
    const { token } = await ownerWithLink();
    const rows = await db().select().from(notMeLinks);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('a person without a second factor confirms with an email code; their other sessions end', async () => {
    const member = await userByEmail(MEMBER);
    // A security email to the member (their password changed, say) carries their link.
    const input = {
      currentPassword: 'keydesk-demo',
      newPassword: 'correct-horse-battery-staple',
      confirmPassword: 'correct-horse-battery-staple',
    };
    expect((await changePassword(db(), (await findUserSummary(db(), member.id))!, input, FROM)).ok).toBe(true);
    const elsewhere = await signInAs(MEMBER);
    const here = await signInAs(MEMBER);
    expect(await signedInAs(elsewhere)).toBe(MEMBER);
    useBrowser(here);
    const token = LINK.exec((await emailsTo(member.id)).at(-1)!.body)![1];
    expect(await redirectOf(chooseLockDownMethodAction(form({ token, method: 'email' })))).toBe(`/settings/security/not-me/${token}`);
    const code = await latestCode(member.id, 'email');
    expect(await redirectOf(confirm({ token, code }))).toBe('/settings/security?notice=locked-down');
    expect(await signedInAs(here)).toBe(MEMBER);
    expect(await signedInAs(elsewhere)).toBeNull();
  });
});

describe('Deactivate all keys button', () => {
  it('runs the same step without a link', async () => {
    const bot = await makeKeyFor(OWNER, { name: 'Bot' });
    const elsewhere = await signInAs(OWNER);
    await signInAs(OWNER);
    expect(await redirectOf(confirm({ code: await totpCode(DEMO_TOTP_SECRET) }))).toBe('/settings/api-keys?notice=all-deactivated');
    expect((await keyRow(bot.key.id))?.status).toBe('inactive');
    expect(await signedInAs(elsewhere)).toBeNull();
  });
});
