import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelinedTransaction, rowsOf, type Tx } from '@/db/client';
import { createTestDatabase, type TestDatabase } from '@/test/support/databases';

// PostgreSQL only (DATABASE_URL): PGlite's statements are prepared by db/pglite-prepared.ts.
const prepared_notes = pgTable('prepared_notes', { id: integer('id').primaryKey(), body: text('body').notNull() });

let t: TestDatabase;

/** The prepared statements of the connection `tx` runs on that read prepared_notes. */
async function preparedOnConnection(tx: Tx): Promise<string[]> {
  const rows = await tx.execute(sql`select statement from pg_prepared_statements where statement like 'select % from "prepared_notes"%'`);
  return rowsOf<{ statement: string }>(rows).map((row) => row.statement);
}

describe.skipIf(!process.env.DATABASE_URL)('statements on PostgreSQL', () => {
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.execute(sql`create table prepared_notes (id integer primary key, body text not null)`);
    await t.db.insert(prepared_notes).values([
      { id: 1, body: 'one' },
      { id: 2, body: 'two' },
    ]);
  });
  afterAll(() => t?.dispose());

  it('prepares a drizzle statement with parameters once per connection, and runs it again from there', async () => {
    const seen = await t.db.transaction(async (tx) => {
      const first = await tx.select().from(prepared_notes).where(eq(prepared_notes.id, 1));
      const second = await tx.select().from(prepared_notes).where(eq(prepared_notes.id, 2));
      return { bodies: [...first, ...second].map((row) => row.body), statements: await preparedOnConnection(tx) };
    });
    expect(seen.bodies).toEqual(['one', 'two']);
    expect(seen.statements).toEqual(['select "id", "body" from "prepared_notes" where "prepared_notes"."id" = $1']);
  });

  it('prepares the statements of a pipelined transaction, its reads and its last write', async () => {
    const statements = await pipelinedTransaction(t.db, async (tx, commit) => {
      await tx.select().from(prepared_notes).where(eq(prepared_notes.id, 1));
      const found = await preparedOnConnection(tx);
      await commit(sql`update prepared_notes set body = ${'uno'} where id = ${1}`);
      return found;
    });
    expect(statements).toContain('select "id", "body" from "prepared_notes" where "prepared_notes"."id" = $1');
    const [row] = await t.db.select().from(prepared_notes).where(eq(prepared_notes.id, 1));
    expect(row.body).toBe('uno');
  });

  it('answers from every connection after a migration adds a column under its prepared statements', async () => {
    const byId = (id: number) => t.db.select().from(prepared_notes).where(eq(prepared_notes.id, id));
    // Every connection of the pool prepares it, so the change finds it prepared wherever it runs next.
    await Promise.all(Array.from({ length: 12 }, () => byId(2)));
    await t.db.execute(sql`alter table prepared_notes add column note text default 'added'`);
    const after = await Promise.all(Array.from({ length: 12 }, () => byId(2)));
    expect(after).toEqual(Array.from({ length: 12 }, () => [{ id: 2, body: 'two' }]));
  });
});
