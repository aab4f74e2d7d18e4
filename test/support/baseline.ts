import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';

/**
 * What a test database returns to between tests: every row as it stood at its last
 * `checkpoint()` (e.g. right after seeding), put back by `reset()` in one transaction — faster
 * than migrating and seeding a database again for every test.
 */

export interface Resettable {
  /** Remembers every row now in the database as the state `reset()` returns to (e.g. after seeding). */
  checkpoint: () => Promise<void>;
  /** Back to the last checkpoint (empty tables if none): every table truncated, its rows put back. */
  reset: () => Promise<void>;
}

/** An SQL identifier, quoted. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface TableInfo {
  name: string;
  /** Columns that can be written (generated columns excluded). */
  columns: string[];
  identityColumns: string[];
}

/** The application tables, parents before children (by foreign key). */
async function tablesInOrder(db: Db): Promise<TableInfo[]> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`),
  ).map((t) => t.name);
  const columns = rowsOf<{ table: string; column: string; identity: string; generated: string }>(
    await db.execute(sql`select table_name as "table", column_name as "column", is_identity as "identity", is_generated as "generated"
      from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`),
  );
  const edges = rowsOf<{ child: string; parent: string }>(
    await db.execute(sql`select child.relname as child, parent.relname as parent from pg_constraint k
      join pg_class child on child.oid = k.conrelid join pg_class parent on parent.oid = k.confrelid
      join pg_namespace n on n.oid = child.relnamespace where k.contype = 'f' and n.nspname = 'public'`),
  );
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const e of edges) if (e.child === table && e.parent !== table) visit(e.parent);
    ordered.push(table);
  };
  tables.forEach(visit);
  return ordered.map((name) => ({
    name,
    columns: columns.filter((c) => c.table === name && c.generated !== 'ALWAYS').map((c) => c.column),
    identityColumns: columns.filter((c) => c.table === name && c.identity === 'YES').map((c) => c.column),
  }));
}

/** Every row of every table, as JSON per table: what `reset()` restores. */
type Baseline = { table: TableInfo; json: string }[];

async function captureBaseline(db: Db, tables: TableInfo[]): Promise<Baseline> {
  const baseline: Baseline = [];
  for (const table of tables) {
    const [row] = rowsOf<{ json: string | null }>(
      await db.execute(sql.raw(`select json_agg(t)::text as json from ${quoteIdent(table.name)} t`)),
    );
    if (row?.json) baseline.push({ table, json: row.json });
  }
  return baseline;
}

/** Empties every table and puts the baseline rows back, in one transaction. */
async function restoreBaseline(db: Db, tables: TableInfo[], baseline: Baseline): Promise<void> {
  const names = tables.map((t) => quoteIdent(t.name));
  await db.transaction(async (tx) => {
    if (names.length) await tx.execute(sql.raw(`truncate table ${names.join(', ')} restart identity cascade`));
    for (const { table, json } of baseline) {
      const cols = table.columns.map(quoteIdent).join(', ');
      const target = quoteIdent(table.name);
      await tx.execute(
        sql`insert into ${sql.raw(target)} (${sql.raw(cols)}) overriding system value select ${sql.raw(cols)} from json_populate_recordset(null::${sql.raw(target)}, ${json}::json)`,
      );
      for (const column of table.identityColumns) {
        await tx.execute(
          sql`select setval(pg_get_serial_sequence(${table.name}, ${column}), (select max(${sql.raw(quoteIdent(column))}) from ${sql.raw(target)}))`,
        );
      }
    }
  });
}

/** reset() and checkpoint() for a migrated database. */
export function resettable(db: Db): Resettable {
  let baseline: Baseline = [];
  let tables: TableInfo[] | undefined; // the schema does not change during a test file
  return {
    checkpoint: async () => {
      tables = await tablesInOrder(db);
      baseline = await captureBaseline(db, tables);
    },
    reset: async () => restoreBaseline(db, (tables ??= await tablesInOrder(db)), baseline),
  };
}
