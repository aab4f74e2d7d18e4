import { z } from 'zod';

/** What Next hands a page as `searchParams`. */
export type RawParams = Record<string, string | string[] | undefined>;

/**
 * Each filter is one value: a repeated parameter is a hand-made URL and is named as such. Empty
 * values (a form's "any" option) count as absent.
 */
export function singleValues(
  raw: RawParams,
): { ok: true; values: Record<string, string> } | { ok: false; errors: string[]; values: Record<string, string> } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) {
      errors.push(`Give '${name.slice(0, 20)}' once.`);
      if (value[0]) values[name] = value[0];
    } else if (value !== undefined && value !== '') {
      values[name] = value;
    }
  }
  return errors.length ? { ok: false, errors, values } : { ok: true, values };
}

/** One message per problem, as people read them (the messages name the field themselves). */
export function paramErrors(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.message))];
}

/**
 * A row id in a URL or form: any UUID PostgreSQL accepts (the uuid type does not care about the
 * RFC version bits, and imported or generated rows need not be version 4).
 */
export const rowId = z.guid();
