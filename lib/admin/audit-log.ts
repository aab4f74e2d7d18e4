import { z } from 'zod';
import type { Db } from '@/db/client';
import {
  countAuditEvents,
  fetchAuditEvents,
  type AuditCursor,
  type AuditFilter,
  type AuditPageRequest,
  type AuditRow,
} from '@/db/queries/admin-audit';
import { cursorParam, cursorTimestamp, encodeCursor, keysetPage, RESULT_COUNT_CAP, type Page } from './cursor';
import { csvRow } from '@/lib/platform/csv';
import { paramErrors, singleValues, type RawParams } from './search-params';
import { log } from '@/lib/platform/log';

/** The audit log for admins: its URL parameters (shared by the page and the CSV export) and the export. */

const AUDIT_PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

const auditCursor = cursorParam(z.tuple([cursorTimestamp, z.string().regex(/^\d{1,18}$/)]));
const day = (label: string) => z.iso.date({ error: `${label} must be a date (YYYY-MM-DD).` });

const auditSchema = z
  .object({
    account: z.guid({ error: 'The account filter must be an account id.' }).optional(),
    user: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: 'The user filter must be an email address.' }).max(254, 'The user filter must be an email address.'))
      .optional(),
    key: z.guid({ error: 'The key filter must be a key id.' }).optional(),
    action: z
      .string()
      .max(64, 'Choose an action from the list.')
      .regex(/^[a-z][a-z_]*(\.[a-z_]+)*$/, 'Choose an action from the list.')
      .optional(),
    from: day('From').optional(),
    to: day('To').optional(),
    after: auditCursor.optional(),
    before: auditCursor.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', message: 'The From date is after the To date.' });
    if (v.after && v.before) ctx.addIssue({ code: 'custom', message: 'Give either a next-page or a previous-page cursor, not both.' });
  });

export interface AuditQuery {
  account?: string;
  user?: string;
  key?: string;
  action?: string;
  from?: string;
  to?: string;
  direction: 'after' | 'before';
  cursor?: AuditCursor;
}

export type ParsedAudit = { ok: true; query: AuditQuery } | { ok: false; errors: string[]; values: Record<string, string> };

export function parseAuditParams(raw: RawParams): ParsedAudit {
  const single = singleValues(raw);
  if (!single.ok) return { ok: false, errors: single.errors, values: single.values };
  const parsed = auditSchema.safeParse(single.values);
  if (!parsed.success) return { ok: false, errors: paramErrors(parsed.error), values: single.values };
  const { after, before, ...rest } = parsed.data;
  return { ok: true, query: { ...rest, direction: before ? 'before' : 'after', cursor: before ?? after } };
}

/** Dates are whole UTC days, both ends included. */
export function auditFilter(query: AuditQuery): AuditFilter {
  return {
    accountId: query.account,
    actorEmail: query.user,
    keyId: query.key,
    action: query.action,
    from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
    until: query.to ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY_MS) : undefined,
  };
}

function auditPageRequest(query: AuditQuery): AuditPageRequest {
  return { direction: query.direction, cursor: query.cursor };
}

function filterParams(query: AuditQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of ['account', 'user', 'key', 'action', 'from', 'to'] as const) {
    const value = query[name];
    if (value) params.set(name, value);
  }
  return params;
}

export function auditHref(query: AuditQuery, change: { after?: string; before?: string } = {}): string {
  const params = filterParams(query);
  if (change.after) params.set('after', change.after);
  if (change.before) params.set('before', change.before);
  const text = params.toString();
  return text ? `/admin/audit?${text}` : '/admin/audit';
}

/** The export of exactly what the page's filters select (every page of it). */
export function auditExportHref(query: AuditQuery): string {
  const text = filterParams(query).toString();
  return text ? `/admin/audit/export?${text}` : '/admin/audit/export';
}

const auditCursorOf = (row: AuditRow) => encodeCursor([row.atText, row.id]);
const encodeAuditCursor = (cursor: AuditCursor) => encodeCursor(cursor);

/** How many events the filters match, counted up to RESULT_COUNT_CAP (past it, "more than"). */
export function countEvents(db: Db, query: AuditQuery): Promise<number> {
  return countAuditEvents(db, auditFilter(query), RESULT_COUNT_CAP);
}

export function loadAuditPage(db: Db, query: AuditQuery, size = AUDIT_PAGE_SIZE): Promise<Page<AuditRow>> {
  const filter = auditFilter(query);
  return keysetPage(
    auditPageRequest(query),
    size,
    (request, take) => fetchAuditEvents(db, filter, request, take),
    auditCursorOf,
    encodeAuditCursor,
  );
}

export const CSV_HEADER = [
  'at',
  'id',
  'action',
  'success',
  'actor_email',
  'actor_user_id',
  'account_id',
  'account_name',
  'api_key_id',
  'key_name',
  'ip',
  'user_agent',
  'details',
];

function auditCsvLine(row: AuditRow): string {
  return csvRow([
    row.atText,
    row.id,
    row.action,
    row.success,
    row.actorEmail,
    row.actorUserId,
    row.accountId,
    row.accountName,
    row.apiKeyId,
    row.keyName,
    row.ip,
    row.userAgent,
    JSON.stringify(row.details),
  ]);
}

/**
 * The CSV, newest first, produced as the client reads it: each pull fetches the next keyset
 * batch, so memory holds one batch whatever the size of the log. Events appended during the
 * export are newer than its first row and are not included.
 */
export function auditCsvStream(db: Db, filter: AuditFilter, batch = EXPORT_BATCH): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: AuditCursor | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const rows = await fetchAuditEvents(db, filter, { direction: 'after', cursor }, batch);
          const head = started ? '' : csvRow(CSV_HEADER);
          started = true;
          controller.enqueue(encoder.encode(head + rows.map(auditCsvLine).join('')));
          const last = rows.at(-1);
          if (!last || rows.length < batch) controller.close();
          else cursor = [last.atText, last.id];
        } catch (error) {
          log.error({ err: error }, 'audit export failed');
          controller.error(new Error('The export failed'));
        }
      },
    },
    { highWaterMark: 0 },
  );
}
