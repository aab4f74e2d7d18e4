import Link from 'next/link';
import type { AuditRow } from '@/db/queries/admin-audit';
import { second } from '../format';
import { ListTable } from '../list-table';

function detailText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

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
          <th scope="row" className="px-3 py-2 font-mono text-xs font-medium whitespace-nowrap">
            {e.action}
            {e.success ? null : <span className="ml-1 rounded bg-red-100 px-1 text-red-800">failed</span>}
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
          <td className="max-w-md px-3 py-2 text-xs break-words text-slate-700">{detailText(e.details)}</td>
        </tr>
      ))}
    </ListTable>
  );
}
