import { z } from 'zod';
import type { Db } from '@/db/client';
import { fetchAdminPeople, type AdminPersonRow } from '@/db/queries/admin-people';
import { paramErrors, rowId, singleValues, type RawParams } from './search-params';

/**
 * The admin People view: find a person by email (or the people whose second factor is locked or
 * paused, or the disabled) to see their second-factor state and lift a lock, and to disable or
 * enable them. At most 50 at a time: it is a search,
 * not a directory to page through.
 */
export const PEOPLE_LIMIT = 50;

const peopleSchema = z.object({
  q: z
    .string()
    .trim()
    .max(200, 'Search for at most 200 characters.')
    .regex(/^[^\p{C}]*$/u, 'Search with printable characters only.')
    .transform((v) => v.toLowerCase() || undefined)
    .optional(),
  locked: z.enum(['1'], { error: 'Locked must be 1 or absent.' }).optional(),
  disabled: z.enum(['1'], { error: 'Disabled must be 1 or absent.' }).optional(),
  user: rowId.optional(),
  notice: z.string().optional(),
});

export interface PeopleQuery {
  q?: string;
  locked: boolean;
  disabled: boolean;
  user?: string;
}

export type ParsedPeople =
  { ok: true; query: PeopleQuery; notice?: string } | { ok: false; errors: string[]; values: Record<string, string> };

export function parsePeopleParams(raw: RawParams): ParsedPeople {
  const single = singleValues(raw);
  if (!single.ok) return { ok: false, errors: single.errors, values: single.values };
  const parsed = peopleSchema.safeParse(single.values);
  if (!parsed.success) return { ok: false, errors: paramErrors(parsed.error), values: single.values };
  const { q, locked, disabled, user, notice } = parsed.data;
  return { ok: true, query: { q, locked: locked === '1', disabled: disabled === '1', user }, notice };
}

/** The person's own row on the People view, where a step-up, a lift, a disable or an enable comes back to. */
export const personHref = (userId: string, notice?: string) => `/admin/people?user=${userId}${notice ? `&notice=${notice}` : ''}`;

/** The disable step's own page (a reason to give): where "confirm it's you" comes back to. */
export const disablePersonPath = (userId: string) => `/admin/people/${userId}/disable`;

export async function loadPeople(db: Db, query: PeopleQuery, now: Date): Promise<{ rows: AdminPersonRow[]; more: boolean }> {
  const rows = await fetchAdminPeople(
    db,
    { emailPrefix: query.q, lockedOnly: query.locked, disabledOnly: query.disabled, userId: query.user },
    PEOPLE_LIMIT + 1,
    now,
  );
  return { rows: rows.slice(0, PEOPLE_LIMIT), more: rows.length > PEOPLE_LIMIT };
}
