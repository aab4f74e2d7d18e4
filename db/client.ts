import path from 'node:path';
import type { PgDatabase, PgDialect, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { is, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePostgres, PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js/session';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataFolder } from './lock';
import { PreparedPGlite } from './pglite-prepared';
import { preparingStatements } from './postgres-prepared';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface DbHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  /**
   * LISTEN on a channel; NOTIFY from any process on the same database reaches `onMessage`.
   * `onListening` runs each time the LISTEN is (re)established: after a lost connection, the
   * notifications sent meanwhile are gone, and whoever trusted them must start afresh.
   */
  listen(channel: string, onMessage: (payload: string) => void, onListening?: () => void): Promise<() => Promise<void>>;
  /**
   * This process's connections to PostgreSQL as the server sees them (`pg_stat_activity`, found
   * by this pool's application_name): how many are open and how many are running a statement,
   * not counting the one asking. Null on PGlite, which has no pool.
   */
  pool(): Promise<PoolUse | null>;
  close(): Promise<void>;
}

export interface PoolUse {
  max: number;
  open: number;
  busy: number;
}

const POOL_MAX = 10;

/**
 * How long closing waits for statements still running before it cuts the connections. Without a
 * bound, postgres.js 3.4.9's end() can wait forever: it learns that a connection ended only when
 * it ends it itself, and misses a connection released from reserve() after end() was called (an
 * order batch's pipelined transaction under a SIGTERM) or one whose connect fails meanwhile.
 */
const CLOSE_GRACE_SECONDS = 3;

const migrationsFolder = () => path.join(process.cwd(), 'db', 'migrations');

/**
 * How the embedded database starts. Its pages come from the host's file cache, never a disk seek,
 * so random reads are priced as PostgreSQL's documentation suggests for data in memory (its
 * default, 4, is for spinning disks). At 4 the admin search's count chose a sequential scan of a
 * million keys, which reads through a small ring buffer and so read its pages again on every request.
 */
export const embeddedDatabaseOptions = { startParams: [...PGlite.defaultStartParams, '-c', 'random_page_cost=1.1'] };

/**
 * Opens PostgreSQL when `url` is given, else the embedded PGlite database in `dir` (locked; or
 * `memory://`). Where they come from is lib/platform/database.ts's business: db/ reads no settings.
 */
export function openDatabase(opts: ({ url: string } | { dir: string }) & { onQuery?: () => void }): DbHandle {
  // Drizzle's logger sees every statement: how lib/platform/page-timing.ts counts a page's round trips.
  const logger = opts.onQuery ? { logQuery: opts.onQuery } : undefined;
  if ('url' in opts) {
    // Unique per process, so pool() finds this pool's connections among every node's.
    const applicationName = `keydesk-${process.pid}`;
    const client = preparingStatements(
      postgres(opts.url, {
        max: POOL_MAX,
        connection: { application_name: applicationName },
        onnotice: () => {},
        // A database that does not answer is known within seconds (the default waits 30 s)…
        connect_timeout: 2,
        // …and one that is back is found again within a second (the default backs off to 20 s,
        // which also kept the LISTEN connection, and so every cache's notifications, away that long).
        backoff: (retries: number) => Math.min(0.1 * 2 ** retries, 1),
        keep_alive: 10,
      }),
    );
    const db = drizzlePostgres(client, { schema, logger }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: () => migratePostgres(drizzlePostgres(client), { migrationsFolder: migrationsFolder() }),
      listen: async (channel, onMessage, onListening) => {
        const subscription = await client.listen(channel, onMessage, onListening);
        return () => subscription.unlisten();
      },
      pool: async () => {
        const [row] = await client<{ open: number; busy: number }[]>`
          select count(*)::int as open, (count(*) filter (where state = 'active'))::int as busy
          from pg_stat_activity
          where application_name = ${applicationName} and pid <> pg_backend_pid()`;
        // The LISTEN connection is this process's too, kept open beside the pool's POOL_MAX.
        return { max: POOL_MAX + 1, open: row.open, busy: row.busy };
      },
      close: () => client.end({ timeout: CLOSE_GRACE_SECONDS }),
    };
  }
  const dir = opts.dir;
  const release = dir.startsWith('memory://') ? () => {} : lockDataFolder(path.dirname(dir));
  const client = new PreparedPGlite(dir, embeddedDatabaseOptions);
  const db = drizzlePglite(client, { schema, logger }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: migrationsFolder() }),
    // In-process: nothing to lose, so `onListening` runs once.
    listen: async (channel, onMessage, onListening) => {
      const unlisten = await client.listen(channel, onMessage);
      onListening?.();
      return () => unlisten();
    },
    pool: async () => null,
    close: async () => {
      await client.close();
      release();
    },
  };
}

/** The rows of a raw `execute()`: postgres.js returns an array of rows, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/** Drizzle's own parts, as its transaction() uses them: the pool, the SQL dialect, the schema. */
type DrizzleParts = { $client: postgres.Sql; dialect: PgDialect; session: { schema: unknown; options: unknown } };
const drizzleParts = (db: Db) => db as unknown as DrizzleParts;

/** A drizzle session on one reserved connection, built as drizzle builds its own. */
const sessionOn = (parts: DrizzleParts, reserved: postgres.ReservedSql) =>
  new PostgresJsSession(reserved as never, parts.dialect, parts.session.schema as never, parts.session.options as never);

/** Runs the transaction's last statement with its COMMIT sent right behind it; answers its rows. */
export type CommitWith = <Row>(last: SQL) => Promise<Row[]>;

/**
 * A transaction of few round trips: on PostgreSQL its BEGIN is sent together with its first
 * statements, and its COMMIT right behind the last one, which `work` hands to `commit` (on one
 * reserved connection, in order, without waiting in between). The last statement goes to the
 * driver directly, so nothing can overtake it: drizzle's own execute() reaches the driver a few
 * ticks later, and a COMMIT sent meanwhile would commit without it. A statement that fails leaves the
 * transaction aborted, and PostgreSQL then answers that COMMIT by rolling back; if `work` throws
 * before its last statement, it is rolled back here. On PGlite (in process, where a round trip
 * costs nothing) it is an ordinary transaction. `work` must not start a transaction of its own.
 */
export async function pipelinedTransaction<T>(db: Db, work: (tx: Tx, commit: CommitWith) => Promise<T>): Promise<T> {
  if (!is(db, PostgresJsDatabase)) return db.transaction((tx) => work(tx, async (last) => rowsOf(await tx.execute(last))));
  const parts = drizzleParts(db);
  const reserved = await parts.$client.reserve();
  let ended = false;
  try {
    // Its failure (the connection lost) fails every statement behind it, which is how it shows.
    reserved.unsafe('begin').catch(() => undefined);
    // A generic plan, planned once per connection, for each of the transaction's statements. Their
    // texts are fixed and their rows travel as parameters (JSON, ids), so the values cannot make a
    // better plan; but PostgreSQL's default (plan_cache_mode=auto) keeps planning a statement afresh
    // on every run when its first five custom plans looked cheaper than the generic one — and
    // whether they did varied between runs of the same bench: an order batch's PostgreSQL CPU went
    // 600–640 µs an order in those runs against ~205 µs with this (half the route's throughput).
    reserved.unsafe('set local plan_cache_mode = force_generic_plan').catch(() => undefined);
    // A transaction object on the reserved connection, built as drizzle builds its own.
    const tx = new PostgresJsTransaction(parts.dialect, sessionOn(parts, reserved), parts.session.schema as never);
    const result = await work(tx as unknown as Tx, async <Row>(last: SQL) => {
      ended = true;
      const query = parts.dialect.sqlToQuery(last);
      // Both are waited for, so the connection goes back idle.
      const [value, commit] = await Promise.allSettled([
        reserved.unsafe(query.sql, query.params as never[], { prepare: true }),
        reserved.unsafe('commit'),
      ]);
      if (value.status === 'rejected') throw value.reason;
      if (commit.status === 'rejected') throw commit.reason;
      return [...value.value] as Row[];
    });
    if (!ended) throw new Error('pipelinedTransaction: work returned without handing its last statement to commit');
    return result;
  } catch (error) {
    if (!ended) await reserved.unsafe('rollback').catch(() => undefined);
    throw error;
  } finally {
    reserved.release();
  }
}

/**
 * Reads sent together: on PostgreSQL the statements `work` starts at once go out on one reserved
 * connection, in one socket write, and one backend answers them in turn, instead of each taking
 * an idle connection of its own (a write each, and a backend woken each). On PGlite `work` runs on
 * `db` itself. `work` must only read, and start no transaction.
 */
export async function pipelinedReads<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  if (!is(db, PostgresJsDatabase)) return work(db);
  const parts = drizzleParts(db);
  const reserved = await parts.$client.reserve();
  try {
    return await work(new PostgresJsDatabase(parts.dialect, sessionOn(parts, reserved), parts.session.schema as never) as unknown as Db);
  } finally {
    reserved.release();
  }
}
