import { z } from 'zod';
import type { Db } from '@/db/client';
import { fetchAdminAccounts, type AccountCursor, type AccountPageRequest, type AdminAccountRow } from '@/db/queries/admin-accounts';
import { cursorParam, encodeCursor, keysetPage, type Page } from './cursor';
import { paramErrors, rowId, singleValues, type RawParams } from './search-params';

const ACCOUNTS_PAGE_SIZE = 50;

const accountCursor = cursorParam(z.tuple([z.string().max(300), rowId]));

const accountListSchema = z
  .object({
    q: z
      .string()
      .trim()
      .max(100, 'Search for at most 100 characters.')
      .regex(/^[^\p{C}]*$/u, 'Search with printable characters only.')
      .transform((v) => v || undefined)
      .optional(),
    after: accountCursor.optional(),
    before: accountCursor.optional(),
  })
  .refine((v) => !(v.after && v.before), 'Give either a next-page or a previous-page cursor, not both.');

export interface AccountListQuery {
  q?: string;
  page: AccountPageRequest;
}

export type ParsedAccountList = { ok: true; query: AccountListQuery } | { ok: false; errors: string[]; values: Record<string, string> };

export function parseAccountListParams(raw: RawParams): ParsedAccountList {
  const single = singleValues(raw);
  if (!single.ok) return { ok: false, errors: single.errors, values: single.values };
  const parsed = accountListSchema.safeParse(single.values);
  if (!parsed.success) return { ok: false, errors: paramErrors(parsed.error), values: single.values };
  const { q, after, before } = parsed.data;
  return { ok: true, query: { q, page: { direction: before ? 'before' : 'after', cursor: before ?? after } } };
}

export function accountsHref(query: { q?: string }, change: { after?: string; before?: string } = {}): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (change.after) params.set('after', change.after);
  if (change.before) params.set('before', change.before);
  const text = params.toString();
  return text ? `/admin/accounts?${text}` : '/admin/accounts';
}

const accountCursorOf = (row: AdminAccountRow) => encodeCursor([row.sortName, row.id]);
const encodeAccountCursor = (cursor: AccountCursor) => encodeCursor(cursor);

export function loadAccountsPage(db: Db, query: AccountListQuery, now: Date, size = ACCOUNTS_PAGE_SIZE): Promise<Page<AdminAccountRow>> {
  return keysetPage(
    query.page,
    size,
    (request, take) => fetchAdminAccounts(db, query.q, request, take, now),
    accountCursorOf,
    encodeAccountCursor,
  );
}
