import { sql, type SQL } from 'drizzle-orm';

/**
 * Small pieces shared by the admin queries, which are written in SQL because keyset pagination
 * needs exact control over ORDER BY and row comparisons (so PostgreSQL walks an index and stops).
 */

/**
 * A timestamp as text in UTC to the microsecond. Both drivers then agree on the value, and a
 * cursor built from it compares exactly (a JS Date would round the microseconds away).
 */
export function tsText(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export const toDate = (text: string): Date => new Date(text);
export const toDateOrNull = (text: string | null): Date | null => (text === null ? null : new Date(text));

/** A LIKE pattern matching values that start with `text` (its own % and _ taken literally). */
export function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function and(parts: SQL[]): SQL {
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}
