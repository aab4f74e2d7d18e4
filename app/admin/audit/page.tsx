import type { Metadata } from 'next';
import { getDb } from '@/lib/platform/database';
import { pipelinedReads } from '@/db/client';
import { findAccountName } from '@/db/queries/admin-accounts';
import { listAuditActions } from '@/db/queries/admin-audit';
import { resultCount } from '@/lib/admin/cursor';
import { auditExportHref, auditHref, countEvents, loadAuditPage, parseAuditParams } from '@/lib/admin/audit-log';
import { isFreshAdminSession, requireAdmin, stepUpHref } from '@/lib/web/auth';
import type { RawParams } from '@/lib/admin/search-params';
import { Pager } from '../pager';
import { ParamErrors } from '../param-errors';
import { ResultCount } from '../result-count';
import { AuditFilters } from './audit-filters';
import { AuditTable } from './audit-table';

export const metadata: Metadata = { title: 'Admin · Audit log' };

/** Every audit event, newest first, filtered and keyset-paged; the same filters export as CSV. */
export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireAdmin();
  const db = getDb();
  const parsed = parseAuditParams(await searchParams);
  const heading = <h1 className="text-2xl font-semibold">Audit log</h1>;
  if (!parsed.ok) {
    return (
      <section>
        {heading}
        <AuditFilters values={parsed.values} actions={await listAuditActions(db)} />
        <ParamErrors errors={parsed.errors} resetHref="/admin/audit" />
      </section>
    );
  }
  const { query } = parsed;
  // Taking a copy needs a second factor from the last 10 minutes (the export checks it too): else
  // the link confirms it's you first and comes back here, where it then downloads.
  const [[page, total, accountName, actions], fresh] = await Promise.all([
    pipelinedReads(db, (reads) =>
      Promise.all([
        loadAuditPage(reads, query),
        countEvents(reads, query),
        query.account ? findAccountName(reads, query.account) : null,
        listAuditActions(reads),
      ]),
    ),
    isFreshAdminSession(),
  ]);
  return (
    <section>
      <div className="flex items-center justify-between gap-4">
        {heading}
        <a
          href={fresh ? auditExportHref(query) : stepUpHref(auditHref(query))}
          download={fresh || undefined}
          aria-describedby={fresh ? undefined : 'export-step-up'}
          className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
        >
          Export CSV
        </a>
      </div>
      {fresh ? null : (
        <p id="export-step-up" className="mt-1 text-right text-xs text-slate-600">
          Exporting asks you to confirm it’s you first.
        </p>
      )}
      <AuditFilters values={{ ...query, cursor: undefined, direction: undefined }} actions={actions} accountName={accountName} />
      <ResultCount text={resultCount(total, 'event', 'events')} />
      <AuditTable events={page.rows} caption="Audit events, newest first" />
      <Pager
        label="Audit pages"
        prevHref={page.prev ? auditHref(query, { before: page.prev }) : null}
        nextHref={page.next ? auditHref(query, { after: page.next }) : null}
      />
    </section>
  );
}
