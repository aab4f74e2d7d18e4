import { getDb } from '@/lib/platform/database';
import { auditCsvStream, auditFilter, parseAuditParams } from '@/lib/admin/audit-log';
import { audit } from '@/lib/platform/audit';
import { getCurrentUser } from '@/lib/web/auth';
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

/**
 * GET /admin/audit/export?<the audit page's filters>: the matching events as CSV, streamed in
 * keyset batches. Checked here, next to the data: anyone but an admin gets the same 404 as for
 * a page that does not exist.
 */
export async function GET(request: Request): Promise<Response> {
  const user = await getCurrentUser();
  if (!user || user.role !== 'admin')
    return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
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
