import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiGateway } from '@/lib/api/gateway';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { signed } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';

/**
 * In-flight work is bounded: while the database is held up (here a transaction that does not end,
 * on the embedded database, which runs one at a time), calls past the cap are answered 503 at
 * once instead of piling up behind it.
 */
let handle: TestDatabase;
let key: TestKey;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  key = await makeKey(handle.db, { accountId: await accountIdOf(handle.db, 'Atlas Capital') });
});
afterAll(async () => handle?.dispose());

describe('calls in flight', () => {
  it('past KEYDESK_MAX_IN_FLIGHT a call gets 503 with Retry-After at once; those admitted finish when the database frees', async () => {
    const gateway = new ApiGateway(() => handle.db, { maxInFlight: 3 });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = () => {};
    const started = new Promise<void>((resolve) => (holding = resolve));
    const blocker = handle.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      holding();
      await held;
    });
    await started;

    const admitted = Array.from({ length: 3 }, () => gateway.rest(signed(key, 'get_my_account_status_v3')));
    const before = Date.now();
    const refused = await Promise.all(Array.from({ length: 2 }, () => gateway.rest(signed(key, 'get_my_account_status_v3'))));
    expect(Date.now() - before).toBeLessThan(200);
    expect(refused).toEqual(
      Array(2).fill({ status: 503, body: { error: 'Service temporarily unavailable' }, headers: { 'Retry-After': '1' } }),
    );

    release();
    await blocker;
    expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await gateway.rest(signed(key, 'get_my_account_status_v3'))).status).toBe(200);
  });
});
