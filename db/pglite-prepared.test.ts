import { PGlite, types, type QueryOptions, type Results } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PreparedPGlite, STATEMENTS_KEPT } from './pglite-prepared';

/**
 * The embedded database's prepared statements (db/pglite-prepared.ts) must be invisible but for
 * speed: the same rows, errors, transactions and notifications as PGlite's own query().
 */
let db: PreparedPGlite;
/** PGlite's own query() on the same database: what the prepared path must answer like. */
const unprepared = <T>(text: string, params?: unknown[], options?: QueryOptions) =>
  PGlite.prototype.query.call(db, text, params, options) as Promise<Results<T>>;

// One database (starting one takes seconds); the table is made again for each test, which also
// shows statements kept from earlier tests surviving their table being dropped and re-created.
beforeAll(() => {
  db = new PreparedPGlite('memory://');
});
afterAll(() => db.close());

beforeEach(async () => {
  db.statementsKept = STATEMENTS_KEPT;
  await db.exec(`
    drop table if exists t;
    create table t (id serial primary key, name text unique not null, at timestamptz, amount numeric(20,8),
                    tags text[], doc jsonb, flag boolean, raw bytea);
    insert into t (name, at, amount, tags, doc, flag, raw)
      values ('a', '2026-12-04T10:00:00Z', '1.50000000', '{x,y}', '{"k":[1,2]}', true, '\\x0102'),
             ('b', null, null, null, null, null, null);`);
});

const SELECT = 'select * from t where id >= $1 and name <> $2 order by id';

describe('PreparedPGlite', () => {
  it('answers a statement with the rows, types and fields PGlite itself gives, in both row modes and with custom parsers', async () => {
    const drizzleLike: QueryOptions = { rowMode: 'array', parsers: { [types.TIMESTAMPTZ]: (v) => v, [types.NUMERIC]: (v) => `n:${v}` } };
    // Again without options after: a query's own parsers apply to its answer alone.
    for (const options of [undefined, drizzleLike, undefined]) {
      const prepared = await db.query(SELECT, [1, 'z'], options);
      expect(prepared.rows).toHaveLength(2);
      expect(prepared).toEqual(await unprepared(SELECT, [1, 'z'], options));
    }
    const [first] = (await db.query<{ at: Date; doc: unknown; raw: Uint8Array; tags: string[] }>(SELECT, [1, 'z'])).rows;
    expect(first.at).toEqual(new Date('2026-12-04T10:00:00Z'));
    expect(first.doc).toEqual({ k: [1, 2] });
    expect(first.tags).toEqual(['x', 'y']);
    expect([...first.raw]).toEqual([1, 2]);
  });

  it('parses and plans a text once, then only executes it', async () => {
    const once = `${SELECT} -- once`;
    const before = db.preparedCount;
    for (let i = 0; i < 8; i++) await db.query(once, [i, 'z']);
    expect(db.preparedCount).toBe(before + 1);
    const { rows } = await unprepared('select generic_plans + custom_plans as runs from pg_prepared_statements where statement = $1', [
      once,
    ]);
    expect(rows).toEqual([{ runs: 8 }]);
  });

  it('serializes parameters by the statement’s types: dates, arrays, JSON, bytes and nulls', async () => {
    const at = new Date('2027-01-02T03:04:05.678Z');
    await db.query('insert into t (name, at, tags, doc, raw, amount) values ($1, $2, $3, $4, $5, $6)', [
      'c',
      at,
      ['p', 'q r'],
      { deep: { list: [1, 'two'] } },
      new Uint8Array([7, 8, 9]),
      null,
    ]);
    const { rows } = await db.query<{ at: Date; tags: string[]; doc: unknown; raw: Uint8Array; amount: null }>(
      'select at, tags, doc, raw, amount from t where name = $1',
      ['c'],
    );
    expect(rows[0]).toEqual({ at, tags: ['p', 'q r'], doc: { deep: { list: [1, 'two'] } }, raw: new Uint8Array([7, 8, 9]), amount: null });
  });

  it('reports a database error as PGlite does (code, statement, parameters) and keeps no statement that failed to parse', async () => {
    const insert = 'insert into t (name) values ($1)';
    const error = await db.query(insert, ['a']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505', constraint: 't_name_key', query: insert, params: ['a'] });
    const kept = db.preparedCount;
    await expect(db.query('selec 1')).rejects.toMatchObject({ code: '42601' });
    expect(db.preparedCount).toBe(kept);
    // Nothing is left half-done: the next statements run.
    await db.query(insert, ['d']);
    expect((await db.query('select count(*)::int as n from t')).rows).toEqual([{ n: 3 }]);
  });

  it('runs a transaction’s statements prepared, rolls back on a throw, and refuses statements after its end', async () => {
    const insert = 'insert into t (name) values ($1)';
    await expect(
      db.transaction(async (tx) => {
        await tx.query(insert, ['in-rollback']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    let escaped: Awaited<Parameters<Parameters<PreparedPGlite['transaction']>[0]>[0]> | undefined;
    await db.transaction(async (tx) => {
      await tx.query(insert, ['committed']);
      escaped = tx;
    });
    await expect(escaped!.query(insert, ['late'])).rejects.toThrow('Transaction is closed');
    const { rows } = await db.query<{ name: string }>('select name from t where name = any($1) order by name', [
      ['in-rollback', 'committed', 'late'],
    ]);
    expect(rows.map((r) => r.name)).toEqual(['committed']);
    expect(db.preparedCount).toBeGreaterThanOrEqual(2);
  });

  it('keeps a statement from outside a transaction out of it until it ends', async () => {
    let counted: number | undefined;
    const outside = { started: false };
    const tx = db.transaction(async (t) => {
      await t.query('insert into t (name) values ($1)', ['pending']);
      outside.started = true;
      void db.query<{ n: number }>('select count(*)::int as n from t').then((r) => (counted = r.rows[0].n));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(counted).toBeUndefined();
      await t.rollback();
    });
    await tx;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(outside.started).toBe(true);
    expect(counted).toBe(2);
  });

  it('delivers the notifications a prepared statement raises', async () => {
    const heard: string[] = [];
    await db.listen('prepared_channel', (payload) => heard.push(payload));
    await db.query("select pg_notify('prepared_channel', $1)", ['hello']);
    await db.transaction(async (tx) => {
      await tx.query("select pg_notify('prepared_channel', $1)", ['from a transaction']);
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual(['hello', 'from a transaction']);
  });

  it('closes the least recently used statements past its limit and prepares them again when needed', async () => {
    db.statementsKept = 3;
    const texts = [1, 2, 3, 4, 5].map((n) => `select ${n}::int + $1::int as n`);
    for (const text of texts) await db.query(text, [10]);
    expect(db.preparedCount).toBe(3);
    const open = async () =>
      (await unprepared("select count(*)::int as n from pg_prepared_statements where name like 'keydesk_%'")).rows[0];
    // Evicted statements are closed with the next one prepared.
    expect((await db.query(texts[0], [10])).rows).toEqual([{ n: 11 }]);
    expect(await open()).toEqual({ n: 3 + 1 });
    const names = await unprepared<{ statement: string }>("select statement from pg_prepared_statements where name like 'keydesk_%'");
    expect(names.rows.map((r) => r.statement)).not.toContain(texts[1]);
  });

  it('prepares a statement again when the table under it changed shape', async () => {
    const all = 'select * from t where id = $1';
    expect(Object.keys((await db.query<object>(all, [1])).rows[0])).not.toContain('added');
    await db.exec('alter table t add column added int default 7');
    expect((await db.query<{ added: number }>(all, [1])).rows[0].added).toBe(7);
    // In a transaction the error stands (the transaction is spoiled); the next call prepares it again.
    await db.exec('alter table t add column later int default 8');
    await expect(db.transaction((tx) => tx.query(all, [1]))).rejects.toMatchObject({ code: '0A000' });
    expect((await db.query<{ later: number }>(all, [1])).rows[0].later).toBe(8);
    await db.query('select 1 as next_prepared', []);
    // The outgrown statements were closed: one statement of that text is left on the server.
    const open = await unprepared<{ n: number }>('select count(*)::int as n from pg_prepared_statements where statement = $1', [all]);
    expect(open.rows).toEqual([{ n: 1 }]);
  });

  it('answers many concurrent statements each with its own rows', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => db.query<{ n: number }>(i % 2 ? 'select $1::int * 2 as n' : 'select $1::int + 1 as n', [i])),
    );
    expect(answers.map((a) => a.rows[0].n)).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 ? i * 2 : i + 1)));
  });
});
