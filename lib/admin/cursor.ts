import { z } from 'zod';

/**
 * Keyset pagination for the admin lists: a cursor is the sort value and the id of the row a page
 * starts after (or ends before), base64url-encoded JSON in the URL. No OFFSET: every page costs
 * the same whether it is the first or the ten-thousandth.
 */

/** Timestamps travel as PostgreSQL renders them in UTC, to the microsecond (a JS Date drops µs). */
const CURSOR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export type Direction = 'after' | 'before';

export interface PageRequest<C> {
  direction: Direction;
  /** Undefined for the first page. */
  cursor?: C;
}

export interface Page<T> {
  rows: T[];
  /** Encoded cursors for the "Next" (after) and "Previous" (before) links, or null if there is none. */
  next: string | null;
  prev: string | null;
}

export function encodeCursor(parts: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

const INVALID_CURSOR = 'This page link is invalid or out of date. Start again from the first page.';

function decodeCursor(text: string): unknown {
  if (text.length > 512 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A URL parameter holding an encoded cursor, checked against `shape` (a tuple schema). */
export function cursorParam<T extends z.ZodType>(shape: T) {
  return z.string().transform((text, ctx): z.output<T> => {
    const parsed = shape.safeParse(decodeCursor(text));
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: INVALID_CURSOR });
    return z.NEVER;
  });
}

export const cursorTimestamp = z.string().regex(CURSOR_TIMESTAMP);

/**
 * Runs one keyset query for `limit + 1` rows in the requested direction (the extra row only says
 * whether there is more) and works out both neighbouring cursors. `fetch` returns rows in the
 * order of its direction: ascending through the list for 'after', backwards for 'before'.
 */
export async function keysetPage<T, C>(
  request: PageRequest<C>,
  limit: number,
  fetch: (request: PageRequest<C>, take: number) => Promise<T[]>,
  cursorOf: (row: T) => string,
  encodeGiven: (cursor: C) => string,
): Promise<Page<T>> {
  const fetched = await fetch(request, limit + 1);
  const more = fetched.length > limit;
  const slice = fetched.slice(0, limit);
  const given = request.cursor === undefined ? null : encodeGiven(request.cursor);
  if (request.direction === 'after') {
    const rows = slice;
    return {
      rows,
      next: more ? cursorOf(rows[rows.length - 1]) : null,
      prev: given === null ? null : rows.length ? cursorOf(rows[0]) : given,
    };
  }
  const rows = slice.reverse();
  return {
    rows,
    prev: more ? cursorOf(rows[0]) : null,
    next: given === null ? null : rows.length ? cursorOf(rows[rows.length - 1]) : given,
  };
}

/**
 * Result counts stop here: an exact count of a million rows is a scan, and nobody pages through a
 * thousand results — they narrow the filters. Past it the count reads "more than 1,000".
 */
export const RESULT_COUNT_CAP = 1000;

/** "1 key", "250 keys", "More than 1,000 keys". */
export function resultCount(n: number, one: string, many: string): string {
  if (n > RESULT_COUNT_CAP) return `More than ${RESULT_COUNT_CAP.toLocaleString('en-US')} ${many}`;
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
