import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowsOf } from '@/db/client';
import { accounts, apiKeys } from '@/db/schema';
import { startEmbeddedMaintenance } from '@/lib/platform/embedded-maintenance';
import { captureLogs } from '../support/log-capture';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { makeKey } from '../support/keys';

/**
 * The embedded database (PGlite, in both CI passes: the subject is the database without
 * autovacuum) after a bot's calls have updated its keys in place: a pass reclaims the dead row
 * versions, sets the visibility map and gives the planner the tables' sizes.
 */

let handle: TestDatabase;

interface TableState {
  pages: number;
  allVisible: number;
  /** -1 until the table is first analyzed (or vacuumed). */
  estimatedRows: number;
}

async function apiKeysTable(): Promise<TableState> {
  const [row] = rowsOf<TableState>(
    await handle.db.execute(
      sql`select relpages as "pages", relallvisible as "allVisible", reltuples::int as "estimatedRows" from pg_class where relname = 'api_keys'`,
    ),
  );
  return row;
}

/** 300 keys, each then used twice: every row has two dead versions behind it. */
async function keysUsedByBots(): Promise<void> {
  const [account] = await handle.db.insert(accounts).values({ name: 'Maintenance Test', type: 'prime' }).returning();
  for (let i = 0; i < 300; i++) await makeKey(handle.db, { accountId: account.id });
  for (let round = 0; round < 2; round++) await handle.db.update(apiKeys).set({ lastUsedAt: new Date(), lastUsedIp: '203.0.113.7' });
}

beforeAll(async () => {
  process.env.KEYDESK_ENCRYPTION_KEY ??= Buffer.alloc(32, 3).toString('base64');
  handle = await createTestDatabase({});
  await keysUsedByBots();
});
afterAll(() => handle.dispose());

describe('the embedded database maintenance', () => {
  it('vacuums and analyzes: every page all-visible, the row count known to the planner', async () => {
    const before = await apiKeysTable();
    expect(before.allVisible).toBe(0);
    expect(before.estimatedRows).toBe(-1);

    const logs = captureLogs();
    const job = startEmbeddedMaintenance(() => handle.db, 3_600_000);
    await job.runOnce();
    await job.stop();

    const after = await apiKeysTable();
    expect(after.pages).toBeGreaterThan(0);
    expect(after.allVisible).toBe(after.pages);
    expect(after.estimatedRows).toBe(300);
    expect(logs.join('\n')).toMatch(/maintained the embedded database/);
  });

  it('runs every interval by itself, analyzing on the first pass and every sixth, and stops', async () => {
    const logs = captureLogs();
    const passes = () => logs.filter((line) => /maintained the embedded database/.test(line));
    const job = startEmbeddedMaintenance(() => handle.db, 50);
    await vi.waitFor(() => expect(passes().length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    await job.stop();
    expect(
      passes()
        .slice(0, 3)
        .map((line) => /"analyze":true/.test(line)),
    ).toEqual([true, false, false]);
    const stoppedAt = passes().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(passes().length).toBe(stoppedAt);
  });
});
