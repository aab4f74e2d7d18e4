import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/client';
import type { KeySort, SortDir } from '@/db/queries/admin-keys';
import { seedLargeDataset } from '@/bench/large-dataset';
import { keysHref, loadKeysPage, parseKeyListParams, type KeyListQuery } from '@/lib/admin/key-list';

/**
 * The admin lists' paging tests: awkward seed data, the order paging must reproduce, walking the
 * Next/Previous links, and finding an element in a server component's returned tree.
 */

/** A key list query with defaults, as parseKeyListParams would hand it over. */
export const keyQuery = (q: Partial<KeyListQuery> = {}): KeyListQuery => ({ sort: 'created', dir: 'desc', direction: 'after', ...q });

/**
 * A few dozen keys from the same generator as the large dataset, then made awkward on purpose:
 * runs of keys sharing one created/updated/last-used instant (so only the id breaks the tie),
 * and plenty of never-used keys (nulls in the last-used order).
 */
export async function seedKeys(db: Db, count = 60): Promise<void> {
  await seedLargeDataset(db, count);
  await db.execute(sql`update api_keys set created_at = '2024-03-01T10:00:00.123456Z', updated_at = '2024-03-02T10:00:00.654321Z'
    where id in (select id from api_keys order by id limit 15)`);
  await db.execute(
    sql`update api_keys set last_used_at = '2024-03-03T10:00:00.000001Z' where id in (select id from api_keys order by id desc limit 9)`,
  );
  await db.execute(sql`update api_keys set last_used_at = null where id in (select id from api_keys order by public_key limit 12)`);
}

const COLUMN: Record<KeySort, string> = { created: 'created_at', updated: 'updated_at', last_used: 'last_used_at' };

/** The whole list in the documented order, by a plain ORDER BY: what paging must reproduce. */
export async function expectedOrder(db: Db, sort: KeySort, dir: SortDir, where = sql`true`): Promise<string[]> {
  const column = sql.raw(COLUMN[sort]);
  const d = sql.raw(dir);
  const rows = rowsOf<{ id: string }>(
    await db.execute(
      sql`select k.id from api_keys k join accounts a on a.id = k.account_id where ${where} order by (k.${column} is null), k.${column} ${d}, k.id ${d}`,
    ),
  );
  return rows.map((r) => r.id);
}

/** What the page would make of a link it drew: the URL parsed and validated again. */
export function follow<T>(
  href: string,
  parse: (raw: Record<string, string>) => { ok: true; query: T } | { ok: false; errors: string[] },
): T {
  const parsed = parse(Object.fromEntries(new URL(href, 'http://keydesk.test').searchParams));
  if (!parsed.ok) throw new Error(`${href}: ${parsed.errors.join(' ')}`);
  return parsed.query;
}

/** Follows the "Next" links from the first page to the last, then "Previous" back: both walks' pages. */
export async function walk(db: Db, query: KeyListQuery, size: number, now = new Date()) {
  const forward: string[][] = [];
  let page = await loadKeysPage(db, query, now, size);
  forward.push(page.rows.map((r) => r.id));
  let guard = 0;
  while (page.next) {
    page = await loadKeysPage(db, follow(keysHref(query, { after: page.next }), parseKeyListParams), now, size);
    forward.push(page.rows.map((r) => r.id));
    if (++guard > 1000) throw new Error('paging does not end');
  }
  const backward: string[][] = [page.rows.map((r) => r.id)];
  while (page.prev) {
    page = await loadKeysPage(db, follow(keysHref(query, { before: page.prev }), parseKeyListParams), now, size);
    backward.unshift(page.rows.map((r) => r.id));
    if (++guard > 2000) throw new Error('paging back does not end');
  }
  return { forward, backward };
}

/** Finds the first element of `type` in a server component's returned tree (no rendering). */
export function findElement(node: unknown, type: unknown): { props: Record<string, unknown> } | null {
  if (!node || typeof node !== 'object') return null;
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findElement(child, type);
      if (found) return found;
    }
    return null;
  }
  const element = node as { type?: unknown; props?: Record<string, unknown> };
  if (element.type === type && element.props) return element as { props: Record<string, unknown> };
  return element.props ? findElement(element.props.children, type) : null;
}
