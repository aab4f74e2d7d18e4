import { asc, eq } from 'drizzle-orm';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import AdminAccountsPage from '@/app/admin/accounts/page';
import AdminPeoplePage from '@/app/admin/people/page';
import { liftSecondFactorLockAction } from '@/app/admin/people/actions';
import { auditEvents, users } from '@/db/schema';
import { TEST_CLIENT_IP } from '../support/next-headers';
import {
  ADMIN,
  advanceTime,
  db,
  expectNotFound,
  form,
  IDLE,
  MEMBER,
  NEW_OWNER,
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

const html = (node: unknown) => renderToStaticMarkup(node as React.ReactElement);
const lift = (userId: string) => liftSecondFactorLockAction(IDLE, form({ userId }));

/** What the other half of #10 item 7 leaves behind: 100 wrong codes in a row, locked. */
async function lockSecondFactor(email: string, at = new Date()) {
  await db()
    .update(users)
    .set({ secondFactorFailures: 100, secondFactorBlockedUntil: new Date(at.getTime() + 60 * 60_000), secondFactorLockedAt: at })
    .where(eq(users.email, email));
  return userByEmail(email);
}

async function lockColumns(userId: string) {
  const [row] = await db()
    .select({
      failures: users.secondFactorFailures,
      blockedUntil: users.secondFactorBlockedUntil,
      lockedAt: users.secondFactorLockedAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

const liftEvents = () =>
  db().select().from(auditEvents).where(eq(auditEvents.action, 'two_factor.lock_lifted')).orderBy(asc(auditEvents.id));

describe('an admin lifts a locked second factor', () => {
  it('the People view shows the lock, and so does the owner’s row among the accounts', async () => {
    const owner = await lockSecondFactor(OWNER);
    await signInAs(ADMIN);
    const people = html(await AdminPeoplePage({ searchParams: Promise.resolve({ q: 'OWNER@' }) }));
    expect(people).toContain('owner@keydesk.test');
    expect(people).toContain('Locked since');
    expect(people).toContain('100 wrong codes in a row');
    expect(people).toContain('Lift lock');
    const locked = html(await AdminPeoplePage({ searchParams: Promise.resolve({ locked: '1' }) }));
    expect(locked).toContain('owner@keydesk.test');
    expect(locked).not.toContain('member@keydesk.test');
    const accounts = html(await AdminAccountsPage({ searchParams: Promise.resolve({}) }));
    expect(accounts).toContain(`href="/admin/people?user=${owner.id}"`);
    expect(accounts.match(/Second factor locked/g)).toHaveLength(1);
  });

  it('clears the count, the pause and the lock, and audits the admin as actor and the person as subject', async () => {
    const owner = await lockSecondFactor(OWNER);
    const admin = await userByEmail(ADMIN);
    await signInAs(ADMIN);
    expect(await redirectOf(lift(owner.id))).toBe(`/admin/people?user=${owner.id}&notice=lifted`);
    expect(await lockColumns(owner.id)).toEqual({ failures: 0, blockedUntil: null, lockedAt: null });
    const [event] = await liftEvents();
    expect(event).toMatchObject({
      actorUserId: admin.id,
      accountId: owner.accountId,
      success: true,
      ip: TEST_CLIENT_IP,
      details: { subjectUserId: owner.id, subjectEmail: OWNER, state: 'locked', failures: 100 },
    });
    const page = html(await AdminPeoplePage({ searchParams: Promise.resolve({ user: owner.id, notice: 'lifted' }) }));
    expect(page).toContain('The lock is lifted');
    expect(page).not.toContain('Locked since');
    // Nothing left to lift: said so, and nothing is written.
    expect(await lift(owner.id)).toEqual({ status: 'error', message: 'This person’s second factor is not locked.' });
    expect(await liftEvents()).toHaveLength(1);
  });

  it('a pause (not yet a lock) can be lifted too', async () => {
    const member = await userByEmail(MEMBER);
    await db()
      .update(users)
      .set({ secondFactorFailures: 20, secondFactorBlockedUntil: new Date(Date.now() + 5 * 60_000) })
      .where(eq(users.id, member.id));
    await signInAs(ADMIN);
    expect(html(await AdminPeoplePage({ searchParams: Promise.resolve({ q: 'member' }) }))).toContain('Paused until');
    await redirectOf(lift(member.id));
    expect(await lockColumns(member.id)).toEqual({ failures: 0, blockedUntil: null, lockedAt: null });
  });

  it('needs a second factor from the last 10 minutes: else confirm it’s you first, and nothing changes', async () => {
    const owner = await lockSecondFactor(OWNER);
    await signInAs(ADMIN);
    advanceTime(10 * 60_000 + 1000);
    const before = await snapshot();
    expect(await redirectOf(lift(owner.id))).toBe(`/admin/step-up?next=${encodeURIComponent(`/admin/people?user=${owner.id}`)}`);
    expect(await snapshot()).toEqual(before);
  });

  it('anyone but an admin gets a 404 and nothing changes', async () => {
    const owner = await lockSecondFactor(OWNER);
    for (const who of [OWNER, NEW_OWNER, MEMBER, STANDARD, null]) {
      if (who) await signInAs(who);
      else signedOut();
      const before = await snapshot();
      await expectNotFound(lift(owner.id));
      await expectNotFound(AdminPeoplePage({ searchParams: Promise.resolve({}) }));
      expect(await snapshot()).toEqual(before);
    }
  });

  it('an admin cannot lift their own lock; an unknown or malformed id is a 404', async () => {
    const admin = await lockSecondFactor(ADMIN);
    await signInAs(ADMIN);
    expect(await lift(admin.id)).toEqual({
      status: 'error',
      message: 'Your own second factor can only be unlocked by another administrator.',
    });
    expect((await lockColumns(admin.id)).lockedAt).not.toBeNull();
    await expectNotFound(lift('00000000-0000-4000-8000-000000000000'));
    await expectNotFound(lift('not-an-id'));
    expect(await liftEvents()).toHaveLength(0);
  });
});
