import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findUserSummary } from '@/db/queries/users';
import { apiKeys, keyReminders, notificationSettings, outboxMessages } from '@/db/schema';
import type { OwnerContext } from '@/lib/identity/owner';
import { setReminders } from '@/lib/identity/notification-settings';
import { deactivateKey } from '@/lib/keys/change';
import { startKeyReminders } from '@/lib/keys/reminder-job';
import { sendDueReminders } from '@/lib/keys/reminders';
import { escapeHtml } from '@/lib/messaging/email-template';
import { formatUtc, keyPrefix } from '@/lib/messaging/wording';
import { NO_REQUEST } from '@/lib/platform/audit';
import { advanceTime, db, makeKeyFor, MEMBER, OWNER, userByEmail, useTestDatabase } from '../support/actions';

/**
 * Key reminders as their readers get them: which key, when, what to do, to whom — once each,
 * however often the job runs, and the one that fits when the server missed a window.
 */

useTestDatabase();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const after = (ms: number) => new Date(Date.now() + ms);

type Row = typeof outboxMessages.$inferSelect;

/** Every reminder email queued so far, oldest first (security emails and codes left out). */
async function reminderEmails(): Promise<Row[]> {
  const rows = await db().select().from(outboxMessages).orderBy(asc(outboxMessages.createdAt));
  return rows.filter((m) => /^API key (expires|expired|never activated)/.test(m.subject ?? ''));
}

const run = () => sendDueReminders(db(), new Date());

async function atlasOwner(): Promise<OwnerContext> {
  const user = (await findUserSummary(db(), (await userByEmail(OWNER)).id))!;
  return { user, accountId: user.membership!.accountId, accountName: user.membership!.accountName };
}

/** A key of Atlas Capital, created `ageMs` ago (the database stamps creation with its own clock). */
async function atlasKey(fields: Parameters<typeof makeKeyFor>[1] & { ageMs?: number; activatedAt?: Date | null } = {}) {
  const { ageMs, activatedAt, ...rest } = fields;
  const { key } = await makeKeyFor(OWNER, rest);
  const createdAt = new Date(Date.now() - (ageMs ?? HOUR));
  await db()
    .update(apiKeys)
    .set({ createdAt, activatedAt: activatedAt ?? (rest.status === 'inactive' ? null : createdAt) })
    .where(eq(apiKeys.id, key.id));
  return { ...key, createdAt };
}

function expectMentions(email: Row, key: { id: string; name: string; publicKey: string }, says: string[]) {
  expect(email.body).toMatch(new RegExp(`^API key name: +${key.name}$`, 'm'));
  expect(email.body).toContain(keyPrefix(key.publicKey));
  expect(email.body).toContain(`http://localhost:3000/settings/api-keys/${key.id}`);
  expect(email.body).toMatch(/^Account: +Atlas Capital$/m);
  expect(email.body).toContain(`Reminder sent: ${formatUtc(new Date())}`);
  expect(email.body).toContain('turn them off in Settings › Notifications');
  for (const part of [email.body, email.html!, email.subject!]) expect(part).not.toContain(key.publicKey);
  for (const words of says) {
    expect(email.body).toContain(words);
    expect(email.html).toContain(escapeHtml(words));
  }
}

describe('what each reminder says, and to whom', () => {
  it('7 days before: the expiry in UTC, how long is left, and to extend it — to the owner only, once', async () => {
    const key = await atlasKey({ name: 'Market maker', expiresAt: after(6 * DAY + 12 * HOUR) });
    expect(await run()).toBe(1);
    const [email, ...more] = await reminderEmails();
    expect(more).toHaveLength(0);
    expect(email.destination).toBe(OWNER);
    expect(email.userId).toBe((await userByEmail(OWNER)).id);
    expect(email.subject).toBe('API key expires in 6 days: “Market maker”');
    expectMentions(email, key, [
      `The API key “Market maker” expires on ${formatUtc(key.expiresAt!)} (in 6 days).`,
      'choose Edit to set a later expiry date',
    ]);
    expect(email.body).toMatch(new RegExp(`^Expires: +${formatUtc(key.expiresAt!)}$`, 'm'));
    expect((await reminderEmails()).map((m) => m.destination)).not.toContain(MEMBER);
    // Every later pass finds it sent.
    expect(await run()).toBe(0);
    advanceTime(HOUR);
    expect(await run()).toBe(0);
    expect(await reminderEmails()).toHaveLength(1);
  });

  it('1 day before, with the 7-day window missed (the server was down): only the 1-day reminder', async () => {
    const key = await atlasKey({ name: 'Hedger', expiresAt: after(20 * HOUR) });
    expect(await run()).toBe(1);
    const emails = await reminderEmails();
    expect(emails.map((m) => m.subject)).toEqual(['API key expires in 20 hours: “Hedger”']);
    expectMentions(emails[0], key, [`expires on ${formatUtc(key.expiresAt!)} (in 20 hours)`]);
  });

  it('expired: says so and how to use it again; a key that expired long ago gets nothing', async () => {
    const key = await atlasKey({ name: 'Old bot', expiresAt: after(-2 * DAY), ageMs: 40 * DAY });
    await atlasKey({ name: 'Ancient bot', expiresAt: after(-30 * DAY), ageMs: 90 * DAY });
    expect(await run()).toBe(1);
    const emails = await reminderEmails();
    expect(emails.map((m) => m.subject)).toEqual(['API key expired: “Old bot”']);
    expectMentions(emails[0], key, [`The API key “Old bot” expired on ${formatUtc(key.expiresAt!)}.`, 'set a new expiry date']);
  });

  it('never activated after 7 days: to activate or delete it; younger or activated keys get nothing', async () => {
    const key = await atlasKey({ name: 'Forgotten', status: 'inactive', ageMs: 8 * DAY });
    await atlasKey({ name: 'Fresh', status: 'inactive', ageMs: 3 * DAY });
    await atlasKey({ name: 'Paused', status: 'inactive', ageMs: 9 * DAY, activatedAt: after(-8 * DAY) });
    expect(await run()).toBe(1);
    const emails = await reminderEmails();
    expect(emails.map((m) => m.subject)).toEqual(['API key never activated: “Forgotten”']);
    expectMentions(emails[0], key, [`was created on ${formatUtc(key.createdAt)}`, 'choose Activate']);
  });

  it('each in its turn as a key approaches expiry: 7 days, 1 day, expired — one of each', async () => {
    await atlasKey({ name: 'Lifecycle', expiresAt: after(7 * DAY - HOUR) });
    await run();
    advanceTime(3 * DAY);
    await run();
    advanceTime(3 * DAY);
    await run();
    await run();
    advanceTime(DAY);
    await run();
    await run();
    expect((await reminderEmails()).map((m) => m.subject)).toEqual([
      'API key expires in 6 days: “Lifecycle”',
      'API key expires in 23 hours: “Lifecycle”',
      'API key expired: “Lifecycle”',
    ]);
  });

  it('a new expiry date earns new reminders; the old date’s are not repeated', async () => {
    const key = await atlasKey({ name: 'Extended', expiresAt: after(5 * DAY) });
    await run();
    await db()
      .update(apiKeys)
      .set({ expiresAt: after(30 * DAY) })
      .where(eq(apiKeys.id, key.id));
    expect(await run()).toBe(0);
    advanceTime(24 * DAY);
    expect(await run()).toBe(1);
    expect((await reminderEmails()).map((m) => m.subject)).toEqual([
      'API key expires in 5 days: “Extended”',
      'API key expires in 6 days: “Extended”',
    ]);
  });

  it('revoked, suspended and deleted keys get none', async () => {
    await atlasKey({ name: 'Revoked', expiresAt: after(HOUR), revokedAt: after(-DAY), revocationReason: 'leak' });
    await atlasKey({ name: 'Suspended', expiresAt: after(HOUR), suspendedAt: after(-DAY), suspensionReason: 'review' });
    await atlasKey({ name: 'Suspended idle', status: 'inactive', ageMs: 8 * DAY, suspendedAt: after(-DAY) });
    const deleted = await atlasKey({ name: 'Deleted', expiresAt: after(HOUR) });
    await db().delete(apiKeys).where(eq(apiKeys.id, deleted.id));
    expect(await run()).toBe(0);
    expect(await reminderEmails()).toHaveLength(0);
  });
});

describe('the owner’s choices', () => {
  it('reminders turned off: nothing is sent, and turning them on again does not send old news', async () => {
    const owner = await atlasOwner();
    await setReminders(db(), owner, false, NO_REQUEST);
    await atlasKey({ name: 'Quiet', expiresAt: after(3 * DAY) });
    await run();
    expect(await reminderEmails()).toHaveLength(0);
    // Handled all the same: the row is there.
    expect(await db().select().from(keyReminders)).toHaveLength(1);
    await setReminders(db(), owner, true, NO_REQUEST);
    await run();
    expect(await reminderEmails()).toHaveLength(0);
    advanceTime(2 * DAY + HOUR);
    await run();
    expect((await reminderEmails()).map((m) => m.subject)).toEqual(['API key expires in 23 hours: “Quiet”']);
  });

  it('a second address gets reminders and key events once confirmed, nothing before', async () => {
    const ownerId = (await userByEmail(OWNER)).id;
    const atlas = await atlasOwner();
    const first = await atlasKey({ name: 'First', expiresAt: after(3 * DAY) });
    // Typed in but never confirmed: it receives nothing.
    await db().insert(notificationSettings).values({ userId: ownerId, secondEmail: 'ops@atlas.test' });
    await run();
    expect(await deactivateKey(db(), atlas, first.id, NO_REQUEST)).toMatchObject({ ok: true });
    const before = await db().select().from(outboxMessages);
    expect(before.map((m) => m.destination)).not.toContain('ops@atlas.test');
    expect(before.map((m) => m.subject)).toEqual(
      expect.arrayContaining(['API key expires in 3 days: “First”', 'API key deactivated: “First”']),
    );

    await db().update(notificationSettings).set({ secondEmailConfirmedAt: new Date() }).where(eq(notificationSettings.userId, ownerId));
    await atlasKey({ name: 'Second', expiresAt: after(3 * DAY) });
    await run();
    const reminders = (await reminderEmails()).filter((m) => m.subject === 'API key expires in 3 days: “Second”');
    expect(reminders.map((m) => m.destination).sort()).toEqual(['ops@atlas.test', OWNER]);
    const toSecond = reminders.find((m) => m.destination === 'ops@atlas.test')!;
    expect(toSecond.userId).toBe(ownerId); // in the owner's own outbox
    expect(toSecond.body).toContain("Keydesk sends reminders about your account's API keys to ops@atlas.test");

    const second = await atlasKey({ name: 'Third' });
    const sent = await db().select({ id: outboxMessages.id }).from(outboxMessages);
    await deactivateKey(db(), atlas, second.id, NO_REQUEST);
    const events = (await db().select().from(outboxMessages)).filter((m) => !sent.some((s) => s.id === m.id));
    expect(events.map((m) => [m.destination, m.subject]).sort()).toEqual([
      ['ops@atlas.test', 'API key deactivated: “Third”'],
      [OWNER, 'API key deactivated: “Third”'],
    ]);
  });
});

describe('restarts', () => {
  it('a job stopped and started again (a restart) sends nothing twice', async () => {
    await atlasKey({ name: 'Restart A', expiresAt: after(2 * DAY) });
    await atlasKey({ name: 'Restart B', status: 'inactive', ageMs: 8 * DAY });
    const first = startKeyReminders(db, 60_000);
    expect(await first.runOnce()).toBe(2);
    await first.stop();
    const second = startKeyReminders(db, 60_000);
    expect(await second.runOnce()).toBe(0);
    await second.stop();
    expect(await reminderEmails()).toHaveLength(2);
  });
});
