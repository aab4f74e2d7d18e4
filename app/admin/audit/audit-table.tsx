import Link from 'next/link';
import type { AuditRow } from '@/db/queries/admin-audit';
import { auditLabel, detailLines } from '@/lib/admin/audit-labels';
import { second } from '../format';
import { ListTable } from '../list-table';

const link = 'text-brand underline';

/** Audit events as stored: who, what, on which account and key, from where. */
export function AuditTable({ events, caption }: { events: AuditRow[]; caption: string }) {
  return (
    <ListTable
      caption={caption}
      empty={events.length === 0 ? 'No events' : null}
      columns={['When', 'Action', 'Actor', 'Account', 'Key', 'IP · user agent', 'Details'].map((label) => ({ label }))}
    >
      {events.map((e) => (
        <tr key={e.id} className="align-top">
          <td className="px-3 py-2 whitespace-nowrap">
            <time dateTime={e.at.toISOString()}>{second(e.at)}</time>
          </td>
          <th scope="row" className="min-w-44 px-3 py-2 font-medium">
            {auditLabel(e.action)}
            {e.success ? null : <span className="ml-1 rounded bg-red-100 px-1 text-xs text-red-800">failed</span>}
            {/* The stored code: what the Action filter and the CSV export use. */}
            <code className="block text-xs font-normal text-slate-600">{e.action}</code>
          </th>
          <td className="px-3 py-2">
            {e.actorEmail ? (
              <Link href={`/admin/audit?user=${encodeURIComponent(e.actorEmail)}`} prefetch={false} className={link}>
                {e.actorEmail}
              </Link>
            ) : (
              <span className="text-slate-500">{e.actorUserId ? 'deleted user' : '—'}</span>
            )}
          </td>
          <td className="min-w-36 px-3 py-2">
            {e.accountId ? (
              <Link href={`/admin/audit?account=${e.accountId}`} prefetch={false} className={link}>
                {e.accountName ?? 'deleted account'}
              </Link>
            ) : (
              '—'
            )}
          </td>
          <td className="min-w-36 px-3 py-2">
            {e.apiKeyId ? (
              e.keyName ? (
                <Link href={`/admin/keys/${e.apiKeyId}`} prefetch={false} className={link}>
                  {e.keyName}
                </Link>
              ) : (
                <Link href={`/admin/audit?key=${e.apiKeyId}`} prefetch={false} className={link}>
                  deleted key
                </Link>
              )
            ) : (
              '—'
            )}
          </td>
          <td className="px-3 py-2 text-xs">
            <span className="block font-mono">{e.ip ?? '—'}</span>
            {e.userAgent ? (
              <span className="block max-w-48 truncate text-slate-600" title={e.userAgent}>
                {e.userAgent}
              </span>
            ) : null}
          </td>
          <td className="min-w-56 px-3 py-2 text-xs text-slate-700">
            <dl className="space-y-0.5">
              {detailLines(e.details).map((d) => (
                <div key={d.label} className="break-words">
                  <dt className="inline font-medium text-slate-800">{d.label}: </dt>
                  <dd className="inline">{d.value}</dd>
                </div>
              ))}
            </dl>
          </td>
        </tr>
      ))}
    </ListTable>
  );
}
