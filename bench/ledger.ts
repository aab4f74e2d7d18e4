/**
 * The ledger alone, in this process (no HTTP, no replay guard): Market orders of one account from
 * CONNECTIONS concurrent callers, next to a floor measured in the same run — the same callers each
 * running the least a durable order needs, a transaction of one insert. Prints orders per second,
 * this process's CPU per order, and the share of the floor (issue #12: where the order route's
 * time goes once HTTP and the replay guard are left aside).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '@/db/client';
import { accounts } from '@/db/schema';
import { seedDemo } from '@/lib/identity/demo-accounts';
import { placeOrder } from '@/lib/ledger/orders';
import { CONNECTIONS, DURATION_SECONDS, localPostgresUrl, median } from './harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Measured {
  perSecond: number;
  cpuMicros: number;
}

/** `once` from CONNECTIONS callers at once, for DURATION_SECONDS. */
async function measure(once: (n: number) => Promise<unknown>): Promise<Measured> {
  const end = Date.now() + DURATION_SECONDS * 1000;
  let done = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) await once(done++);
    }),
  );
  const used = process.cpuUsage(cpu);
  return { perSecond: done / ((performance.now() - started) / 1000), cpuMicros: (used.user + used.system) / done };
}

export async function benchLedger(): Promise<void> {
  process.env.KEYDESK_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString('base64');
  const server = localPostgresUrl();
  const name = `keydesk_bench_ledger_${Date.now()}`;
  const dir = server ? null : mkdtempSync(path.join(tmpdir(), 'keydesk-bench-ledger-'));
  const admin = server ? postgres(server, { max: 1, onnotice: () => {} }) : null;
  await admin?.unsafe(`create database ${name}`);
  const handle = server ? openDatabase({ url: server.replace(/\/[^/]*$/, `/${name}`) }) : openDatabase({ dir: path.join(dir!, 'pglite') });
  try {
    await handle.migrate();
    await seedDemo(handle.db);
    await handle.db.execute(sql`create table bench_floor (id bigint generated always as identity primary key, note text not null)`);
    const [atlas] = await handle.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, 'Atlas Capital'));
    let seq = 0;
    const routes: [string, () => Promise<Measured>][] = [
      [
        'floor: a transaction of one insert',
        () => measure(() => handle.db.transaction((tx) => tx.execute(sql`insert into bench_floor (note) values ('x')`))),
      ],
      [
        'placeOrder, Market, BUY and SELL in turn',
        () =>
          measure(() => {
            const n = ++seq;
            return placeOrder(
              handle.db,
              { accountId: atlas.id, apiKeyId: null, now: new Date() },
              {
                subAccount: '',
                clientOrderId: `bench-${n}`,
                currency1: 'BTC',
                currency2: 'USD',
                side: n % 2 ? 'BUY' : 'SELL',
                orderType: 'Market',
                amountCcy1: '0.0001',
              },
            );
          }),
      ],
    ];
    for (const [, run] of routes) await run(); // warm-up
    const runs: Measured[][] = routes.map(() => []);
    for (let round = 0; round < ROUNDS; round++) for (const [i, [, run]] of routes.entries()) runs[i].push(await run());
    const results = runs.map((r) => ({ perSecond: median(r.map((x) => x.perSecond)), cpuMicros: median(r.map((x) => x.cpuMicros)) }));
    console.log(
      `\nThe ledger in process (median of ${ROUNDS} interleaved rounds) — ${CONNECTIONS} callers, ${DURATION_SECONDS} s per run, ${server ? 'PostgreSQL' : 'embedded PGlite'}`,
    );
    console.log(`${'route'.padEnd(44)} ${'per s'.padStart(7)} ${'of floor'.padStart(9)} ${'CPU each'.padStart(9)}`);
    for (const [i, [label]] of routes.entries()) {
      const r = results[i];
      console.log(
        `${label.padEnd(44)} ${r.perSecond.toFixed(0).padStart(7)} ${`${((r.perSecond / results[0].perSecond) * 100).toFixed(0)}%`.padStart(9)} ${`${r.cpuMicros.toFixed(0)} µs`.padStart(9)}`,
      );
    }
  } finally {
    await handle.close();
    await admin?.unsafe(`drop database if exists ${name} with (force)`);
    await admin?.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
