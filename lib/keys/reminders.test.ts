import { describe, expect, it } from 'vitest';
import { dueReminders, type ReminderColumns } from './reminders';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2027-03-10T12:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

const key = (fields: Partial<ReminderColumns> = {}): ReminderColumns => ({
  status: 'active',
  createdAt: at(-30 * DAY),
  activatedAt: at(-30 * DAY),
  expiresAt: null,
  suspendedAt: null,
  revokedAt: null,
  ...fields,
});

const kinds = (fields: Partial<ReminderColumns>) => dueReminders(key(fields), NOW).map((d) => d.kind);

describe('dueReminders', () => {
  it('the one expiry reminder that fits now, at each boundary', () => {
    expect(kinds({ expiresAt: at(7 * DAY + 1) })).toEqual([]);
    expect(kinds({ expiresAt: at(7 * DAY) })).toEqual(['expires_in_7_days']);
    expect(kinds({ expiresAt: at(DAY + 1) })).toEqual(['expires_in_7_days']);
    expect(kinds({ expiresAt: at(DAY) })).toEqual(['expires_in_1_day']);
    expect(kinds({ expiresAt: at(1) })).toEqual(['expires_in_1_day']);
    expect(kinds({ expiresAt: NOW })).toEqual(['expired']);
    expect(kinds({ expiresAt: at(-7 * DAY + 1) })).toEqual(['expired']);
    expect(kinds({ expiresAt: at(-7 * DAY) })).toEqual([]);
    expect(kinds({})).toEqual([]);
  });

  it('never activated: from 7 days after creation, for 7 days, and not once expired', () => {
    const idle = { status: 'inactive' as const, activatedAt: null };
    expect(kinds({ ...idle, createdAt: at(-7 * DAY + 1) })).toEqual([]);
    expect(kinds({ ...idle, createdAt: at(-7 * DAY) })).toEqual(['not_activated']);
    expect(kinds({ ...idle, createdAt: at(-14 * DAY + 1) })).toEqual(['not_activated']);
    expect(kinds({ ...idle, createdAt: at(-14 * DAY) })).toEqual([]);
    expect(kinds({ ...idle, createdAt: at(-8 * DAY), expiresAt: at(3 * DAY) })).toEqual(['expires_in_7_days', 'not_activated']);
    expect(kinds({ ...idle, createdAt: at(-8 * DAY), expiresAt: at(-HOUR) })).toEqual(['expired']);
    // Activated once, deactivated since: it was used, so not "never activated".
    expect(kinds({ status: 'inactive', createdAt: at(-8 * DAY), activatedAt: at(-7 * DAY) })).toEqual([]);
  });

  it('none for revoked or suspended keys', () => {
    expect(kinds({ expiresAt: at(HOUR), revokedAt: at(-DAY) })).toEqual([]);
    expect(kinds({ expiresAt: at(HOUR), suspendedAt: at(-DAY) })).toEqual([]);
    expect(kinds({ status: 'inactive', activatedAt: null, createdAt: at(-8 * DAY), suspendedAt: at(-DAY) })).toEqual([]);
  });

  it('each is about the instant it names: the expiry, or the creation', () => {
    const expiresAt = at(3 * DAY);
    expect(dueReminders(key({ expiresAt }), NOW)).toEqual([{ kind: 'expires_in_7_days', dueFor: expiresAt }]);
    const createdAt = at(-8 * DAY);
    expect(dueReminders(key({ status: 'inactive', activatedAt: null, createdAt }), NOW)).toEqual([
      { kind: 'not_activated', dueFor: createdAt },
    ]);
  });
});
