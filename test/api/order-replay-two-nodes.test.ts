import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '@/db/client';
import { orders } from '@/db/schema';
import { ApiGateway } from '@/lib/api/gateway';
import { PERMISSIONS } from '@/lib/keys/permissions';
import { accountIdOf, createSeededTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/databases';
import { signed } from '../support/api';
import { makeKey } from '../support/keys';

/**
 * An order's call sent to two app nodes at once (a bot retrying through a load balancer): each
 * node, with its own connection pool, claims the call in its own order transaction, and the
 * database decides (lib/ledger/order-placement.ts). PostgreSQL only: PGlite is one process's.
 */
const url = process.env.DATABASE_URL;

describe.skipIf(!url)('the same order sent to two nodes', () => {
  let testDb: TestDatabase;
  let other: DbHandle;
  let nodeA: ApiGateway;
  let nodeB: ApiGateway;

  beforeAll(async () => {
    testDb = await createSeededTestDatabase();
    other = openDatabase({ url: testDatabaseUrl(testDb.name) });
    nodeA = new ApiGateway(() => testDb.db);
    nodeB = new ApiGateway(() => other.db);
  });
  afterAll(async () => {
    await other?.close();
    await testDb?.dispose();
  });

  it('places each order once and answers every copy with it, however the copies interleave', async () => {
    const key = await makeKey(testDb.db, { accountId: await accountIdOf(testDb.db, 'Atlas Capital'), permissions: [...PERMISSIONS] });
    const order = (n: number) =>
      // No clientOrderId: only the claim on the signature can stop a second order.
      signed(key, 'do_my_new_order', { currency1: 'BTC', currency2: 'USD', side: 'BUY', orderType: 'Market', amountCcy1: `0.00${n + 1}` });
    for (let round = 0; round < 10; round++) {
      const [first, second] = [order(2 * round), order(2 * round + 1)];
      // Each node gets both calls, in opposite orders: their batches claim the same signatures.
      const answers = await Promise.all([nodeA.rest(first), nodeA.rest(second), nodeB.rest(second), nodeB.rest(first)]);
      for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answers[3]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[1]);
    }
    const placed = await testDb.db.select({ id: orders.id }).from(orders).where(eq(orders.apiKeyId, key.id));
    expect(placed).toHaveLength(20);
  });
});
