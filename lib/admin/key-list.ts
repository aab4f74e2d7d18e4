import { z } from 'zod';
import type { Db } from '@/db/client';
import {
  countAdminKeys,
  fetchAdminKeys,
  type AdminKeyFilter,
  type AdminKeyPageRequest,
  type AdminKeyRecord,
  type KeyCursor,
  type KeySort,
  type SortDir,
} from '@/db/queries/admin-keys';
import { cursorParam, cursorTimestamp, encodeCursor, keysetPage, RESULT_COUNT_CAP, type Page } from './cursor';
import { KEY_STATES, keyState, type KeyState } from '@/lib/keys/state';
import { PERMISSIONS } from '@/lib/keys/permissions';
import { MONEY_PERMISSION_ACTIONS, UNUSED_AFTER_DAYS } from '@/lib/api/unused-permissions';
import { paramErrors, rowId, singleValues, type RawParams } from './search-params';

/** The admin keys list: what its URL may say, and the links it draws. */

const KEYS_PAGE_SIZE = 50;

export const KEY_SORTS = ['created', 'last_used', 'updated'] as const satisfies readonly KeySort[];
export const KEY_SORT_LABELS: Record<KeySort, string> = { created: 'Created', last_used: 'Last used', updated: 'Last update' };
export const ACCOUNT_TYPES = ['prime', 'standard'] as const;
export const ACCOUNT_TYPE_LABELS = { prime: 'Prime Liquidity', standard: 'Standard' } as const;

const keyCursor = cursorParam(z.tuple([cursorTimestamp.nullable(), rowId]));

const keyListSchema = z
  .object({
    q: z
      .string()
      .trim()
      .max(100, 'Search for at most 100 characters.')
      .regex(/^[^\p{C}]*$/u, 'Search with printable characters only.')
      .transform((v) => v || undefined)
      .optional(),
    status: z.enum(KEY_STATES, { error: 'Choose a status from the list.' }).optional(),
    permission: z.enum(PERMISSIONS, { error: 'Choose a permission from the list.' }).optional(),
    type: z.enum(ACCOUNT_TYPES, { error: 'Choose an account type from the list.' }).optional(),
    account: z.guid({ error: 'The account filter must be an account id.' }).optional(),
    unused: z.literal('money', { error: 'Choose "Has unused money permissions" or nothing.' }).optional(),
    sort: z.enum(KEY_SORTS, { error: 'Sort by created, last used or last update.' }).default('created'),
    dir: z.enum(['asc', 'desc'], { error: 'Sort direction must be asc or desc.' }).default('desc'),
    after: keyCursor.optional(),
    before: keyCursor.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.after && v.before) ctx.addIssue({ code: 'custom', message: 'Give either a next-page or a previous-page cursor, not both.' });
    const cursor = v.after ?? v.before;
    if (cursor && cursor[0] === null && v.sort !== 'last_used') {
      ctx.addIssue({ code: 'custom', message: 'This page link is invalid or out of date. Start again from the first page.' });
    }
  });

export interface KeyListQuery {
  q?: string;
  status?: AdminKeyFilter['status'];
  permission?: (typeof PERMISSIONS)[number];
  type?: 'prime' | 'standard';
  account?: string;
  /** Only keys holding a money permission unused for 30 days (lib/api/unused-permissions.ts). */
  unused?: 'money';
  sort: KeySort;
  dir: SortDir;
  direction: 'after' | 'before';
  cursor?: KeyCursor;
}

export type ParsedKeyList = { ok: true; query: KeyListQuery } | { ok: false; errors: string[]; values: Record<string, string> };

/** Validates the page's search parameters; a bad one is reported, never a 500. */
export function parseKeyListParams(raw: RawParams): ParsedKeyList {
  const single = singleValues(raw);
  if (!single.ok) return { ok: false, errors: single.errors, values: single.values };
  const parsed = keyListSchema.safeParse(single.values);
  if (!parsed.success) return { ok: false, errors: paramErrors(parsed.error), values: single.values };
  const { after, before, ...rest } = parsed.data;
  return { ok: true, query: { ...rest, direction: before ? 'before' : 'after', cursor: before ?? after } };
}

function keyFilter(query: KeyListQuery, now: Date): AdminKeyFilter {
  return {
    q: query.q,
    status: query.status,
    permission: query.permission,
    accountType: query.type,
    accountId: query.account,
    unused: query.unused ? { actionsByPermission: MONEY_PERMISSION_ACTIONS, days: UNUSED_AFTER_DAYS } : undefined,
    now,
  };
}

function keyPageRequest(query: KeyListQuery): AdminKeyPageRequest {
  return { sort: query.sort, dir: query.dir, direction: query.direction, cursor: query.cursor };
}

/** `/admin/keys?...` for these filters, with a cursor or a different sort; defaults are left out. */
export function keysHref(query: KeyListQuery, change: { after?: string; before?: string; sort?: KeySort; dir?: SortDir } = {}): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.status) params.set('status', query.status);
  if (query.permission) params.set('permission', query.permission);
  if (query.type) params.set('type', query.type);
  if (query.account) params.set('account', query.account);
  if (query.unused) params.set('unused', query.unused);
  const sort = change.sort ?? query.sort;
  const dir = change.dir ?? query.dir;
  if (sort !== 'created') params.set('sort', sort);
  if (dir !== 'desc') params.set('dir', dir);
  if (change.after) params.set('after', change.after);
  if (change.before) params.set('before', change.before);
  const text = params.toString();
  return text ? `/admin/keys?${text}` : '/admin/keys';
}

const keyCursorOf = (row: { sortValue: string | null; id: string }) => encodeCursor([row.sortValue, row.id]);
const encodeKeyCursor = (cursor: KeyCursor) => encodeCursor(cursor);

/** A key of the admin list with its state, by the one rule (the SQL status filter agrees with it). */
export interface AdminKeyRow extends AdminKeyRecord {
  state: KeyState;
}

export const withState = <T extends AdminKeyRecord>(record: T, now: Date): T & { state: KeyState } => ({
  ...record,
  state: keyState(record, now),
});

/** Up to `take` keys of the list in the walk's order (see fetchAdminKeys), each with its state. */
export async function fetchKeys(db: Db, filter: AdminKeyFilter, request: AdminKeyPageRequest, take: number): Promise<AdminKeyRow[]> {
  return (await fetchAdminKeys(db, filter, request, take)).map((record) => withState(record, filter.now));
}

/** One page of the list as the page shows it: rows plus the cursors of its neighbours. */
/** How many keys the filters match, counted up to RESULT_COUNT_CAP (past it, "more than"). */
export function countKeys(db: Db, query: KeyListQuery, now: Date): Promise<number> {
  return countAdminKeys(db, keyFilter(query, now), RESULT_COUNT_CAP);
}

export function loadKeysPage(db: Db, query: KeyListQuery, now: Date, size = KEYS_PAGE_SIZE): Promise<Page<AdminKeyRow>> {
  const filter = keyFilter(query, now);
  return keysetPage(
    { direction: query.direction, cursor: query.cursor },
    size,
    (request, take) => fetchKeys(db, filter, { ...keyPageRequest(query), ...request }, take),
    keyCursorOf,
    encodeKeyCursor,
  );
}
