import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, pipelinedTransaction } from '@/db/client';
import { createTestDatabase, type TestDatabase } from '@/test/support/databases';

// On PostgreSQL (DATABASE_URL) BEGIN and COMMIT travel with the statements; on PGlite it is an
// ordinary transaction. Either way a transaction commits whole or not at all.
let t: TestDatabase;
const notes = async () =>
  rowsOf<{ body: string }>(await t.db.execute(sql`select body from pipelined_notes order by body`)).map((row) => row.body);

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.execute(sql`create table pipelined_notes (body text primary key)`);
});
afterAll(() => t.dispose());

describe('pipelinedTransaction', () => {
  it('commits its statements together with the last one, and answers with its result', async () => {
    const answer = await pipelinedTransaction(t.db, async (tx, commit) => {
      const [first] = await Promise.all([tx.execute(sql`insert into pipelined_notes values ('a') returning body`)]);
      const last = await commit<{ body: string }>(sql`insert into pipelined_notes values ('b') returning body`);
      return [...rowsOf<{ body: string }>(first), ...last].map((row) => row.body);
    });
    expect(answer).toEqual(['a', 'b']);
    expect(await notes()).toEqual(['a', 'b']);
  });

  it('keeps nothing when the last statement fails, though its COMMIT was already on its way', async () => {
    const attempt = pipelinedTransaction(t.db, async (tx, commit) => {
      await tx.execute(sql`insert into pipelined_notes values ('c')`);
      return commit(sql`insert into pipelined_notes values ('a')`); // taken: unique violation
    });
    await expect(attempt).rejects.toThrow();
    expect(await notes()).toEqual(['a', 'b']);
  });

  it('keeps nothing when the work throws before its last statement', async () => {
    const attempt = pipelinedTransaction(t.db, async (tx) => {
      await tx.execute(sql`insert into pipelined_notes values ('d')`);
      throw new Error('decided against it');
    });
    await expect(attempt).rejects.toThrow('decided against it');
    expect(await notes()).toEqual(['a', 'b']);
  });

  it('leaves the connection usable: many in parallel, each whole', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        pipelinedTransaction(t.db, async (tx, commit) => {
          await tx.execute(sql`insert into pipelined_notes values (${`p${i}`})`);
          return commit(sql`insert into pipelined_notes values (${`q${i}`})`);
        }),
      ),
    );
    expect(await notes()).toHaveLength(2 + 60);
  });

  // The ledger's statements get a generic plan, planned once; the setting ends with the
  // transaction, so the console's statements on the same connections (a name search, whose
  // prefix picks its index) are still planned for their values.
  it.skipIf(!process.env.DATABASE_URL)('plans its statements generically, and only inside it', async () => {
    const mode = async (db: typeof t.db) =>
      rowsOf<{ plan_cache_mode: string }>(await db.execute(sql`show plan_cache_mode`))[0].plan_cache_mode;
    const inside = await Promise.all(
      Array.from({ length: 5 }, () =>
        pipelinedTransaction(t.db, async (tx, commit) => {
          const seen = await mode(tx as unknown as typeof t.db);
          await commit(sql`select 1`);
          return seen;
        }),
      ),
    );
    expect(inside).toEqual(Array(5).fill('force_generic_plan'));
    const after = await Promise.all(Array.from({ length: 10 }, () => mode(t.db)));
    expect(after).toEqual(Array(10).fill('auto'));
  });
});
