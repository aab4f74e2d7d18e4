/**
 * `npm run bench -- explain` with DATABASE_URL set (a PostgreSQL database filled by
 * `npm run seed:large`): every statement the admin keys page sends for each view of the bench —
 * captured from drizzle as the page's own code builds it — run under EXPLAIN (ANALYZE, BUFFERS).
 * Prints per statement its execution time, shared buffers touched and the plan's top node; with
 * BENCH_EXPLAIN_FULL=1 the whole plans.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db } from '@/db/client';
import * as schema from '@/db/schema';
import { countKeys, loadKeysPage, parseKeyListParams } from '@/lib/admin/key-list';
import type { RawParams } from '@/lib/admin/search-params';

interface Statement {
  query: string;
  params: unknown[];
}

export async function explainAdmin(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('EXPLAIN needs DATABASE_URL: a PostgreSQL database filled by `npm run seed:large`');
  const client = postgres(url, { max: 1, onnotice: () => {} });
  const captured: Statement[] = [];
  const db = drizzle(client, { schema, logger: { logQuery: (query, params) => captured.push({ query, params }) } }) as unknown as Db;
  const full = process.env.BENCH_EXPLAIN_FULL === '1';
  try {
    const [{ n }] = await client<{ n: number }[]>`select count(*)::int as n from api_keys`;
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the admin keys page's statements — ${n.toLocaleString('en')} keys, PostgreSQL`);
    const now = new Date();
    const first = parseKeyListParams({});
    if (!first.ok) throw new Error('the first page did not parse');
    const next = (await loadKeysPage(db, first.query, now)).next;
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
      await Promise.all([loadKeysPage(db, parsed.query, now), countKeys(db, parsed.query, now)]);
      const statements = [...captured];
      console.log(`\n${name}: ${statements.length} statement(s)`);
      for (const statement of statements) {
        const plan = (await client.unsafe(`explain (analyze, buffers) ${statement.query}`, statement.params as never[])).map(
          (row) => (row as Record<string, string>)['QUERY PLAN'],
        );
        const execution = plan.find((line) => line.startsWith('Execution Time'));
        const buffers = plan.find((line) => line.trim().startsWith('Buffers:'))?.trim();
        const kind = /count\(\*\)/.test(statement.query) ? 'count' : 'rows';
        const jit = plan.some((line) => line.startsWith('JIT:')) ? ', JIT' : '';
        console.log(`  ${kind.padEnd(6)}${execution}, ${buffers ?? 'no buffers'}${jit} — ${plan[0].trim().replace(/\s+\(cost.*$/, '')}`);
        if (full) console.log(plan.map((line) => `      ${line}`).join('\n'));
      }
    }
  } finally {
    await client.end();
  }
}
