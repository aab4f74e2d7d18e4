import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAdminKeys } from '@/db/queries/admin-keys';
import { countAuditEvents } from '@/db/queries/admin-audit';
import { AUDIT_LABELS, auditLabel, detailLines } from '@/lib/admin/audit-labels';
import { resultCount, RESULT_COUNT_CAP } from '@/lib/admin/cursor';
import { audit, NO_REQUEST } from '@/lib/platform/audit';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { makeKey } from '../support/keys';

/** The counts above the admin lists, and the words the audit log is read in. */
let t: TestDatabase;
let atlas: string;

beforeAll(async () => {
  t = await createSeededTestDatabase();
  atlas = await accountIdOf(t.db, 'Atlas Capital');
  for (let i = 0; i < 3; i++) await makeKey(t.db, { accountId: atlas, name: `count me ${i}` });
});
afterAll(() => t?.dispose());

describe('result counts', () => {
  it('count what the filters match, stopping just past the cap', async () => {
    expect(await countAdminKeys(t.db, { now: new Date(), q: 'count me' }, 100)).toBe(3);
    expect(await countAdminKeys(t.db, { now: new Date(), q: 'count me' }, 2)).toBe(3); // cap + 1: "more than 2"
    expect(await countAdminKeys(t.db, { now: new Date(), q: 'no key is called this' }, 100)).toBe(0);
    const all = await countAdminKeys(t.db, { now: new Date() }, 10_000);
    expect(all).toBeGreaterThanOrEqual(3);
    expect(await countAdminKeys(t.db, { now: new Date(), accountId: atlas }, 10_000)).toBeLessThanOrEqual(all);

    for (let i = 0; i < 4; i++) await audit(t.db, NO_REQUEST, { action: 'audit.exported', accountId: atlas, details: {} });
    expect(await countAuditEvents(t.db, { accountId: atlas, action: 'audit.exported' }, 100)).toBe(4);
    expect(await countAuditEvents(t.db, { accountId: atlas, action: 'audit.exported' }, 3)).toBe(4);
  });

  it('read as a person would say them', () => {
    expect(resultCount(0, 'key', 'keys')).toBe('0 keys');
    expect(resultCount(1, 'key', 'keys')).toBe('1 key');
    expect(resultCount(RESULT_COUNT_CAP, 'event', 'events')).toBe('1,000 events');
    expect(resultCount(RESULT_COUNT_CAP + 1, 'event', 'events')).toBe('More than 1,000 events');
  });
});

describe('audit labels', () => {
  it('name every event in words, distinct from each other', () => {
    const labels = Object.values(AUDIT_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    for (const [code, label] of Object.entries(AUDIT_LABELS)) {
      expect(label, code).not.toContain('_');
      expect(label, code).toMatch(/^[A-Z]/);
    }
    expect(auditLabel('api_key.secret_revealed')).toBe('API secret shown (once)');
    expect(auditLabel('some.future_event')).toBe('some.future_event');
  });

  it('list details one per line, with readable names', () => {
    expect(detailLines({ reason: 'leaked', permissions: ['read', 'trade'], ipWhitelist: [], publicKey: 'abc', widens: false })).toEqual([
      { label: 'Reason', value: 'leaked' },
      { label: 'Permissions', value: 'read, trade' },
      { label: 'IP whitelist', value: 'none' },
      { label: 'Public Key', value: 'abc' },
      { label: 'Widens', value: 'false' },
    ]);
  });
});
