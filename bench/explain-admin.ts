/**
 * `npm run bench -- explain` on a database filled by `npm run seed:large`: PostgreSQL with
 * DATABASE_URL, else the embedded one in KEYDESK_DATA_DIR (./data; locked, so not beside a running
 * server). Every statement the admin keys page sends for each view of the bench — captured from
 * drizzle as the page's own code builds it — run under EXPLAIN (ANALYZE, BUFFERS). Prints per
 * statement its execution time, shared buffers touched and the plan's top node; with
 * BENCH_EXPLAIN_FULL=1 the whole plans.
 */
import path from 'node:path';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { embeddedDatabaseOptions, type Db } from '@/db/client';
import { lockDataFolder } from '@/db/lock';
import { PreparedPGlite } from '@/db/pglite-prepared';
import * as schema from '@/db/schema';
import { countKeys, loadKeysPage, parseKeyListParams } from '@/lib/admin/key-list';
import type { RawParams } from '@/lib/admin/search-params';
import { dataDir } from '@/lib/platform/config';

interface Statement {
  query: string;
  params: unknown[];
}

/** The database to explain on: drizzle for the page's code, and the driver for EXPLAIN itself. */
interface Explained {
  label: string;
  db: Db;
  count: () => Promise<number>;
  plan: (statement: Statement) => Promise<string[]>;
  close: () => Promise<void>;
}

function openPostgres(url: string, logger: Logger): Explained {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  return {
    label: 'PostgreSQL',
    db: drizzlePostgres(client, { schema, logger }) as unknown as Db,
    count: async () => (await client<{ n: number }[]>`select count(*)::int as n from api_keys`)[0].n,
    plan: async ({ query, params }) =>
      (await client.unsafe(`explain (analyze, buffers) ${query}`, params as never[])).map(
        (row) => (row as Record<string, string>)['QUERY PLAN'],
      ),
    close: () => client.end(),
  };
}

function openEmbedded(logger: Logger): Explained {
  const release = lockDataFolder(dataDir());
  // Started as the server starts it: the same planner settings.
  const client = new PreparedPGlite(path.join(dataDir(), 'pglite'), embeddedDatabaseOptions);
  return {
    label: 'embedded PGlite',
    db: drizzlePglite(client, { schema, logger }) as unknown as Db,
    count: async () => (await client.query<{ n: number }>('select count(*)::int as n from api_keys')).rows[0].n,
    plan: async ({ query, params }) =>
      (await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query}`, params as never[])).rows.map(
        (row) => row['QUERY PLAN'],
      ),
    close: async () => {
      await client.close();
      release();
    },
  };
}

export async function explainAdmin(): Promise<void> {
  const captured: Statement[] = [];
  const logger: Logger = { logQuery: (query, params) => captured.push({ query, params }) };
  const url = process.env.DATABASE_URL;
  const database = url ? openPostgres(url, logger) : openEmbedded(logger);
  const full = process.env.BENCH_EXPLAIN_FULL === '1';
  try {
    const n = await database.count();
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the admin keys page's statements — ${n.toLocaleString('en')} keys, ${database.label}`);
    const now = new Date();
    const first = parseKeyListParams({});
    if (!first.ok) throw new Error('the first page did not parse');
    const next = (await loadKeysPage(database.db, first.query, now)).next;
    const views: [string, RawParams][] = [
      ['first page', {}],
      ['next page', { after: next ?? '' }],
      ['search "tr"', { q: 'tr' }],
      ['sort=last_used', { sort: 'last_used' }],
    ];
    for (const [name, raw] of views) {
      const parsed = parseKeyListParams(raw);
      if (!parsed.ok) throw new Error(`${name}: ${parsed.errors.join(' ')}`);
      captured.length = 0;
      await Promise.all([loadKeysPage(database.db, parsed.query, now), countKeys(database.db, parsed.query, now)]);
      const statements = [...captured];
      console.log(`\n${name}: ${statements.length} statement(s)`);
      for (const statement of statements) {
        const plan = await database.plan(statement);
        const execution = plan.find((line) => line.startsWith('Execution Time'));
        const buffers = plan.find((line) => line.trim().startsWith('Buffers:'))?.trim();
        const kind = /count\(\*\)/.test(statement.query) ? 'count' : 'rows';
        const jit = plan.some((line) => line.startsWith('JIT:')) ? ', JIT' : '';
        console.log(`  ${kind.padEnd(6)}${execution}, ${buffers ?? 'no buffers'}${jit} — ${plan[0].trim().replace(/\s+\(cost.*$/, '')}`);
        if (full) console.log(plan.map((line) => `      ${line}`).join('\n'));
      }
    }
  } finally {
    await database.close();
  }
}
