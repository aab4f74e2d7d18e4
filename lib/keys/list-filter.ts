import { z } from 'zod';
import { KEY_STATE_LABELS, KEY_STATES, keyState, type KeyState, type KeyStateColumns } from './state';

/**
 * The owner's key list, searched and filtered by its URL (`?q=…&status=…`): a plain GET form, so
 * it works without JavaScript and a filtered list can be linked. An account holds few keys, so the
 * list is filtered after it is read rather than in SQL.
 */

/** Above this many keys the list offers search and a status filter. */
export const KEY_FILTER_THRESHOLD = 8;

export const KEY_SEARCH_MAX = 100;

export interface KeyListFilter {
  /** Trimmed search text; '' for none. */
  q: string;
  status: KeyState | null;
}

export interface KeyListFilterParse {
  filter: KeyListFilter;
  /** One message per bad parameter; a bad parameter is left out of the filter. */
  errors: { q?: string; status?: string };
}

const query = z.string().trim().max(KEY_SEARCH_MAX, `Search for at most ${KEY_SEARCH_MAX} characters.`);
const status = z.enum(KEY_STATES, { error: `Choose one of: ${KEY_STATES.map((s) => KEY_STATE_LABELS[s]).join(', ')}.` });

/** A repeated parameter (`?q=a&q=b`) counts as its first value. */
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

export function parseKeyListFilter(params: { q?: string | string[]; status?: string | string[] }): KeyListFilterParse {
  const errors: KeyListFilterParse['errors'] = {};
  const q = query.safeParse(first(params.q));
  if (!q.success) errors.q = q.error.issues[0].message;
  const rawStatus = first(params.status);
  const s = rawStatus === '' ? null : status.safeParse(rawStatus);
  if (s && !s.success) errors.status = s.error.issues[0].message;
  return { filter: { q: q.success ? q.data : '', status: s?.success ? s.data : null }, errors };
}

export const isFiltering = (filter: KeyListFilter) => filter.q !== '' || filter.status !== null;

/** The search form is shown above the threshold, and whenever a filter (or a bad one) is in the URL. */
export const offersSearch = (total: number, { filter, errors }: KeyListFilterParse) =>
  total > KEY_FILTER_THRESHOLD || isFiltering(filter) || Boolean(errors.q || errors.status);

/** Keys whose name or API key contains the search text (any case), in the chosen state. */
export function filterKeys<K extends KeyStateColumns & { name: string; publicKey: string }>(
  keys: readonly K[],
  filter: KeyListFilter,
  now: Date,
): K[] {
  const needle = filter.q.toLowerCase();
  return keys.filter(
    (key) =>
      (needle === '' || key.name.toLowerCase().includes(needle) || key.publicKey.toLowerCase().includes(needle)) &&
      (filter.status === null || keyState(key, now) === filter.status),
  );
}
