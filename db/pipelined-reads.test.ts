import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelinedReads, rowsOf, type Db } from '@/db/client';
import { createTestDatabase, type TestDatabase } from '@/test/support/databases';

// Reads started together go out together: on PostgreSQL (DATABASE_URL) on one connection; on
// PGlite, in process, they simply run. Either way each read answers as it would alone.
let t: TestDatabase;
const bodies = async (db: Db, from: number) =>
  rowsOf<{ body: string }>(await db.execute(sql`select body from read_notes where id >= ${from} order by id`)).map((row) => row.body);
const backend = async (db: Db) => rowsOf<{ pid: number }>(await db.execute(sql`select pg_backend_pid() as pid`))[0].pid;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.execute(sql`create table read_notes (id integer primary key, body text not null)`);
  await t.db.execute(sql`insert into read_notes values (1, 'one'), (2, 'two'), (3, 'three')`);
});
afterAll(() => t.dispose());

describe('pipelinedReads', () => {
  it('answers each read as it would alone', async () => {
    const answers = await pipelinedReads(t.db, (reads) => Promise.all([bodies(reads, 1), bodies(reads, 2), bodies(reads, 3)]));
    expect(answers).toEqual([['one', 'two', 'three'], ['two', 'three'], ['three']]);
  });

  it('fails the read that fails, answers the others, and leaves the connection usable', async () => {
    const [good, bad, after] = await pipelinedReads(t.db, (reads) =>
      Promise.allSettled([bodies(reads, 2), reads.execute(sql`select 1 / 0`), bodies(reads, 3)]),
    );
    expect(good).toEqual({ status: 'fulfilled', value: ['two', 'three'] });
    expect(bad.status).toBe('rejected');
    expect(after).toEqual({ status: 'fulfilled', value: ['three'] });
    const many = await Promise.all(Array.from({ length: 30 }, (_, i) => pipelinedReads(t.db, (reads) => bodies(reads, 1 + (i % 3)))));
    expect(many.map((found) => found.length)).toEqual(Array.from({ length: 30 }, (_, i) => 3 - (i % 3)));
  });

  it.skipIf(!process.env.DATABASE_URL)('sends reads started together on one connection, where apart each takes its own', async () => {
    // Several connections open and idle first (each held by a sleep while the others open), so
    // that what each case finds in the pool does not depend on the tests before it.
    const idlePool = () => Promise.all(Array.from({ length: 5 }, () => t.db.execute(sql`select pg_sleep(0.05)`)));
    await idlePool();
    const apart = await Promise.all([backend(t.db), backend(t.db), backend(t.db)]);
    expect(new Set(apart).size).toBe(3);
    await idlePool();
    const together = await pipelinedReads(t.db, (reads) => Promise.all([backend(reads), backend(reads), backend(reads)]));
    expect(new Set(together).size).toBe(1);
  });
});
