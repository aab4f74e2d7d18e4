import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '@/db/client';
import { apiKeys, keyReminders, outboxMessages } from '@/db/schema';
import { sendDueReminders } from '@/lib/keys/reminders';
import { accountIdOf, createSeededTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/databases';
import { makeKey } from '../support/keys';

/**
 * Exactly once with several app processes: two reminder jobs, each with its own connection pool
 * (as two servers have), run at the same moment against one PostgreSQL database, again and again.
 * Every reminder is queued once. (PGlite is one process's database: nothing to race there.)
 */

const url = process.env.DATABASE_URL;
process.env.NEXTAUTH_URL = 'http://localhost:3000';
process.env.KEYDESK_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.skipIf(!url)('two processes on one PostgreSQL database', () => {
  let testDb: TestDatabase;
  let other: DbHandle;

  beforeAll(async () => {
    testDb = await createSeededTestDatabase();
    other = openDatabase({ url: testDatabaseUrl(testDb.name) });
  });
  afterAll(async () => {
    await other?.close();
    await testDb?.dispose();
  });

  it('send each due reminder once, however the passes interleave, and again after a restart', async () => {
    const accountId = await accountIdOf(testDb.db, 'Atlas Capital');
    const now = Date.now();
    // 60 keys, each with one reminder due: 7 days, 1 day, expired, never activated.
    const shapes = [
      { expiresAt: new Date(now + 5 * DAY) },
      { expiresAt: new Date(now + 12 * HOUR) },
      { expiresAt: new Date(now - 2 * DAY) },
      { status: 'inactive' as const, created: new Date(now - 8 * DAY) },
    ];
    for (let i = 0; i < 60; i++) {
      const { created, ...shape } = shapes[i % shapes.length] as (typeof shapes)[number] & { created?: Date };
      const key = await makeKey(testDb.db, { accountId, name: `Race ${i}`, ...shape });
      if (created) await testDb.db.update(apiKeys).set({ createdAt: created, activatedAt: null }).where(eq(apiKeys.id, key.id));
      else
        await testDb.db
          .update(apiKeys)
          .set({ activatedAt: new Date(now - DAY) })
          .where(eq(apiKeys.id, key.id));
    }

    let sent = 0;
    for (let round = 0; round < 3; round++) {
      // Small batches so the two processes meet on the same keys many times.
      const counts = await Promise.all([
        sendDueReminders(testDb.db, new Date(), 5),
        sendDueReminders(other.db, new Date(), 5),
        sendDueReminders(testDb.db, new Date(), 7),
        sendDueReminders(other.db, new Date(), 3),
      ]);
      sent += counts.reduce((a, b) => a + b, 0);
    }
    expect(sent).toBe(60);

    // "Restart": a new pool, as a restarted server would open, finds nothing left to send.
    await other.close();
    other = openDatabase({ url: new URL(`/${testDb.name}`, url!).toString() });
    expect(await sendDueReminders(other.db, new Date())).toBe(0);

    const emails = await testDb.db.select({ subject: outboxMessages.subject, to: outboxMessages.destination }).from(outboxMessages);
    const subjects = emails.map((m) => m.subject!).filter((s) => /“Race \d+”/.test(s));
    expect(subjects).toHaveLength(60);
    expect(new Set(subjects.map((s) => s.match(/“(Race \d+)”/)![1])).size).toBe(60);
    expect(emails.every((m) => m.to === 'owner@keydesk.test')).toBe(true);
    expect(await testDb.db.select().from(keyReminders)).toHaveLength(60);
  });
});
