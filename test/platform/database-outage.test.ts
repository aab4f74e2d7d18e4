import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '@/lib/identity/demo-accounts';
import { ApiGateway } from '@/lib/api/gateway';
import { eventHub } from '@/lib/platform/events';
import { readiness } from '@/lib/platform/readiness';
import { accountIdOf, createTestDatabase, type TestDatabase } from '@/test/support/databases';
import { signed } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';
import { createPgCluster, postgresBinaries, type PgCluster } from '../support/pg-cluster';

/**
 * A real PostgreSQL server, stopped and started inside the test, under an API that had its key and
 * balances in memory: requests get 503 quickly instead of hanging, and a key changed while this
 * process could not hear notifications is refused within a second of the database coming back.
 * Needs PostgreSQL's server binaries (CI installs them); skipped without.
 */
const bin = postgresBinaries();
const DEADLINE_MS = 2000;

let cluster: PgCluster;
let handle: TestDatabase;
let gateway: ApiGateway;
let key: TestKey;

beforeAll(async () => {
  if (!bin) return;
  cluster = await createPgCluster(bin);
  handle = await createTestDatabase({ url: cluster.url });
  await seedDemo(handle.db);
  await eventHub().start(handle);
  gateway = new ApiGateway(() => handle.db, { deadlineMs: DEADLINE_MS });
  key = await makeKey(handle.db, { accountId: await accountIdOf(handle.db, 'Atlas Capital') });
}, 60_000);
afterAll(async () => {
  await handle?.close();
  await cluster?.destroy();
});

const status = async () => gateway.rest(signed(key, 'get_my_account_status_v3'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, withinMs: number): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, ms: Date.now() - start };
    if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms: ${JSON.stringify(value)}`);
    await sleep(20);
  }
}

describe.skipIf(!bin)('a database outage, with a real PostgreSQL stopped and started', () => {
  it('answers 503 with Retry-After within seconds, never hangs, and recovers; a key changed unheard is refused within 1 s', async () => {
    expect((await status()).status).toBe(200); // key and balances now in memory
    await until(
      () => readiness(handle, 1000),
      (r) => r.ready,
      5000,
    );

    await cluster.stop();
    const firstRefusal = await until(status, (r) => r.status === 503, 3000);
    expect(firstRefusal.value).toMatchObject({
      status: 503,
      body: { error: 'Service temporarily unavailable' },
      headers: { 'Retry-After': '1' },
    });
    // Every call during the outage answers 503 in bounded time: none waits for the database.
    const started = Date.now();
    const during = await Promise.all(Array.from({ length: 20 }, () => status()));
    expect(during.map((r) => r.status)).toEqual(Array(20).fill(503));
    const slowest = Date.now() - started;
    expect(slowest).toBeLessThanOrEqual(DEADLINE_MS + 500);
    // Within a second or so this process also stops trusting its caches: it cannot hear changes.
    const unheard = await until(
      () => readiness(handle, 1000),
      (r) => r.notifications === 'down',
      2000,
    );
    expect(unheard.value).toEqual({ ready: false, database: 'down', notifications: 'down' });
    expect((await status()).status).toBe(503);

    // Back up — and another process deactivates the key before this one hears anything again:
    // its NOTIFY is lost on this process's LISTEN connection, still reconnecting.
    await cluster.start();
    const other = postgres(cluster.url.replace(/\/postgres$/, `/${handle.name}`), { max: 1, onnotice: () => {} });
    try {
      await other.begin(async (tx) => {
        await tx`update api_keys set status = 'inactive' where id = ${key.id}`;
        await tx`select pg_notify('keydesk_key_changed', ${key.id})`;
      });
    } finally {
      await other.end();
    }
    const refused = await until(status, (r) => r.status === 401, 3000);
    expect(refused.ms).toBeLessThanOrEqual(1000);
    const recovered = await until(
      () => readiness(handle, 1000),
      (r) => r.ready,
      10_000,
    );

    console.info(
      `[outage] first 503 after ${firstRefusal.ms} ms; 20 calls during the outage all answered within ${slowest} ms; ` +
        `caches distrusted after ${firstRefusal.ms + unheard.ms} ms; ` +
        `the key changed unheard refused ${refused.ms} ms after the database was back; ready again after ${recovered.ms} ms`,
    );
    // Serving from memory again, with the key's new state.
    await handle.db.execute(sql`select 1`);
    expect((await status()).status).toBe(401);
  }, 60_000);
});
