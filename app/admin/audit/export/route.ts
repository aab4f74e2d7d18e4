import { getDb } from '@/lib/platform/database';
import { auditCsvStream, auditFilter, parseAuditParams } from '@/lib/admin/audit-log';
import { audit } from '@/lib/platform/audit';
import { findAdminAccess } from '@/lib/web/auth';
import { ADMIN_TWO_FACTOR_REQUIRED } from '@/lib/identity/step-up';
import { requestContext } from '@/lib/web/request-context';
import type { RawParams } from '@/lib/admin/search-params';

export const dynamic = 'force-dynamic';

function paramsOf(url: URL): RawParams {
  const out: RawParams = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    out[name] = values.length > 1 ? values : values[0];
  }
  return out;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/** Who may take a copy: an admin whose session passed its second factor in the last 10 minutes. */
async function exporter(): Promise<{ ok: true; id: string } | { ok: false; response: Response }> {
  const access = await findAdminAccess();
  if (!access) return { ok: false, response: new Response('Not found', { status: 404, headers: TEXT }) };
  if (access.kind !== 'ok') return { ok: false, response: new Response(`${ADMIN_TWO_FACTOR_REQUIRED}\n`, { status: 403, headers: TEXT }) };
  if (!access.fresh) {
    const message =
      'Confirm it’s you first: exporting the audit log needs your second factor from the last 10 minutes (Admin › Audit log › Export CSV).';
    return { ok: false, response: new Response(`${message}\n`, { status: 403, headers: TEXT }) };
  }
  return { ok: true, id: access.admin.id };
}

/**
 * GET /admin/audit/export?<the audit page's filters>: the matching events as CSV, streamed in
 * keyset batches. Checked here, next to the data: anyone but an admin gets the same 404 as for
 * a page that does not exist; an admin without a second factor, or whose session has not passed
 * it in the last 10 minutes, gets a 403 saying so.
 */
export async function GET(request: Request): Promise<Response> {
  const caller = await exporter();
  if (!caller.ok) return caller.response;
  const user = { id: caller.id };
  const parsed = parseAuditParams(paramsOf(new URL(request.url)));
  if (!parsed.ok)
    return new Response(`${parsed.errors.join('\n')}\n`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  // Who took a copy of the audit trail, and of which part, is itself part of the trail.
  const filters = Object.fromEntries(
    Object.entries(paramsOf(new URL(request.url))).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  await audit(getDb(), await requestContext(), { action: 'audit.exported', actorUserId: user.id, details: filters });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return new Response(auditCsvStream(getDb(), auditFilter(parsed.query)), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="keydesk-audit-${stamp}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
