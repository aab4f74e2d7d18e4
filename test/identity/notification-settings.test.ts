import { describe, expect, it, vi } from 'vitest';
import {
  addSecondEmail,
  confirmSecondEmailCode,
  removeSecondAddress,
  resendSecondEmail,
  saveReminders,
} from '@/app/settings/notifications/actions';
import { findUserSummary } from '@/db/queries/users';
import { outboxMessages } from '@/db/schema';
import { notificationSettingsOf } from '@/lib/identity/notification-settings';
import { deactivateKey } from '@/lib/keys/change';
import { NO_REQUEST } from '@/lib/platform/audit';
import {
  ADMIN,
  auditActions,
  db,
  form,
  IDLE,
  latestCode,
  makeKeyFor,
  MEMBER,
  otherThan,
  OWNER,
  redirectOf,
  signedOut,
  signInAs,
  snapshot,
  STANDARD,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const PAGE = '/settings/notifications';
const SECOND = 'ops@atlas.test';

const ownerId = async () => (await userByEmail(OWNER)).id;
const settings = async () => notificationSettingsOf(db(), await ownerId());
const messages = () => db().select().from(outboxMessages);

/** Deactivates a fresh key of Atlas Capital; returns who got the security email about it. */
async function keyEventRecipients(): Promise<string[]> {
  const { key } = await makeKeyFor(OWNER, { name: `Bot ${Math.random()}` });
  const user = (await findUserSummary(db(), await ownerId()))!;
  const before = new Set((await messages()).map((m) => m.id));
  await deactivateKey(db(), { user, accountId: user.membership!.accountId, accountName: user.membership!.accountName }, key.id, NO_REQUEST);
  return (await messages())
    .filter((m) => !before.has(m.id))
    .map((m) => m.destination)
    .sort();
}

/** Adds and confirms the second address as the owner would, reading the code from the outbox. */
async function confirmSecond(): Promise<void> {
  await signInAs(OWNER);
  expect(await redirectOf(addSecondEmail(IDLE, form({ email: ` ${SECOND.toUpperCase()} ` })))).toBe(PAGE);
  const code = await latestCode(await ownerId(), 'email');
  expect(await redirectOf(confirmSecondEmailCode(IDLE, form({ code })))).toBe(`${PAGE}?saved=address`);
}

describe('key reminders on or off', () => {
  it('the owner turns them off and on; a repeated submit changes nothing more', async () => {
    await signInAs(OWNER);
    expect((await settings()).remindersEnabled).toBe(true);
    expect(await redirectOf(saveReminders(IDLE, form({ reminders: 'off' })))).toBe(`${PAGE}?saved=reminders`);
    expect(await redirectOf(saveReminders(IDLE, form({ reminders: 'off' })))).toBe(`${PAGE}?saved=reminders`);
    expect((await settings()).remindersEnabled).toBe(false);
    await redirectOf(saveReminders(IDLE, form({ reminders: 'on' })));
    expect((await settings()).remindersEnabled).toBe(true);
    expect((await auditActions()).filter((a) => a === 'notifications.reminders_changed')).toHaveLength(2);
  });

  it('anything but on or off is a field error and changes nothing', async () => {
    await signInAs(OWNER);
    const before = await snapshot();
    for (const fields of [{ reminders: 'maybe' }, {}]) {
      const state = await saveReminders(IDLE, form(fields));
      expect(state).toMatchObject({ status: 'error', fieldErrors: { reminders: ['Choose whether to get reminders'] } });
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('a second address for key emails', () => {
  it('bad or own addresses are field errors, with what was typed handed back; nothing is sent', async () => {
    await signInAs(OWNER);
    const before = await snapshot();
    expect(await addSecondEmail(IDLE, form({ email: 'not an address' }))).toEqual({
      status: 'error',
      fieldErrors: { email: ['Enter an email address such as name@example.com'] },
      values: { email: 'not an address' },
    });
    expect(await addSecondEmail(IDLE, form({ email: '' }))).toMatchObject({ fieldErrors: { email: ['Enter an email address'] } });
    expect(await addSecondEmail(IDLE, form({ email: `${'a'.repeat(250)}@x.test` }))).toMatchObject({
      fieldErrors: { email: ['Enter an address of at most 254 characters'] },
    });
    expect(await addSecondEmail(IDLE, form({ email: 'Owner@Keydesk.test' }))).toMatchObject({
      fieldErrors: { email: ['This is your sign-in address: key emails already go to it.'] },
      values: { email: 'Owner@Keydesk.test' },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('unconfirmed it gets only its code; confirmed it gets key events too, and the owner is told', async () => {
    await signInAs(OWNER);
    await redirectOf(addSecondEmail(IDLE, form({ email: SECOND })));
    const [codeEmail] = (await messages()).filter((m) => m.destination === SECOND);
    expect(codeEmail.userId).toBe(await ownerId());
    expect(codeEmail.subject).toBe('Your code to confirm this address for API key emails');
    expect(codeEmail.body).toMatch(/^\d{6} is the code to confirm this address for Keydesk API key emails\.$/m);
    expect(codeEmail.body).toContain('this address gets nothing from Keydesk unless the code is entered');
    expect(codeEmail.body).toContain(`Keydesk sent this code to ${SECOND} because a Keydesk account owner asked`);
    expect((await settings()).secondEmail).toBeNull();
    expect(await keyEventRecipients()).toEqual([OWNER]);

    const code = codeEmail.body.match(/\b(\d{6})\b/)![1];
    expect(await confirmSecondEmailCode(IDLE, form({ code: otherThan(code) }))).toMatchObject({
      status: 'error',
      fieldErrors: { code: [expect.stringContaining('4 attempts left')] },
    });
    expect((await settings()).secondEmail).toBeNull();
    expect(await redirectOf(confirmSecondEmailCode(IDLE, form({ code })))).toBe(`${PAGE}?saved=address`);
    expect((await settings()).secondEmail).toBe(SECOND);
    // A second submit of the same code finds the step over, and confirms nothing twice.
    expect(await confirmSecondEmailCode(IDLE, form({ code }))).toMatchObject({ status: 'error' });
    expect((await auditActions()).filter((a) => a === 'notifications.second_email_added')).toHaveLength(1);

    const notice = (await messages()).filter((m) => m.subject === 'A second address now gets your API key emails');
    expect(notice.map((m) => m.destination)).toEqual([OWNER]);
    expect(notice[0].body).toContain(`${SECOND} was confirmed as a second address`);
    expect(await keyEventRecipients()).toEqual([SECOND, OWNER].sort());
  });

  it('a new address replaces the confirmed one only once it is confirmed itself', async () => {
    await confirmSecond();
    await redirectOf(addSecondEmail(IDLE, form({ email: 'desk@atlas.test' })));
    expect((await settings()).secondEmail).toBe(SECOND);
    expect(await keyEventRecipients()).toEqual([SECOND, OWNER].sort());
    expect(await addSecondEmail(IDLE, form({ email: SECOND }))).toMatchObject({
      fieldErrors: { email: ['This address is already your confirmed second address.'] },
    });
  });

  it('resend sends a new code to the same address after two minutes', async () => {
    await signInAs(OWNER);
    await redirectOf(addSecondEmail(IDLE, form({ email: SECOND })));
    vi.setSystemTime(Date.now() + 121_000);
    expect(await redirectOf(resendSecondEmail(form({})))).toBe(`${PAGE}?resent=1`);
    expect((await messages()).filter((m) => m.destination === SECOND)).toHaveLength(2);
  });

  it('removed: it gets nothing more, and the owner is told', async () => {
    await confirmSecond();
    expect(await redirectOf(removeSecondAddress(form({})))).toBe(`${PAGE}?saved=removed`);
    expect(await redirectOf(removeSecondAddress(form({})))).toBe(`${PAGE}?saved=removed`);
    expect((await settings()).secondEmail).toBeNull();
    expect((await messages()).filter((m) => m.subject === 'Your second address for API key emails was removed')).toHaveLength(1);
    expect(await keyEventRecipients()).toEqual([OWNER]);
  });
});

describe('only the owner of a Prime Liquidity account', () => {
  it.each([MEMBER, STANDARD, ADMIN])('%s is sent to the page that explains, and nothing changes', async (email) => {
    await signInAs(email);
    const before = await snapshot();
    expect(await redirectOf(saveReminders(IDLE, form({ reminders: 'off' })))).toBe(PAGE);
    expect(await redirectOf(addSecondEmail(IDLE, form({ email: SECOND })))).toBe(PAGE);
    expect(await redirectOf(confirmSecondEmailCode(IDLE, form({ code: '123456' })))).toBe(PAGE);
    expect(await redirectOf(removeSecondAddress(form({})))).toBe(PAGE);
    expect(await snapshot()).toEqual(before);
  });

  it('a signed-out visitor is sent to sign in, and back here afterwards', async () => {
    signedOut();
    expect(await redirectOf(saveReminders(IDLE, form({ reminders: 'off' })))).toBe(`/sign-in?callbackUrl=${encodeURIComponent(PAGE)}`);
  });
});
