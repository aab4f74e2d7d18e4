import Link from 'next/link';
import type { KeySort } from '@/db/queries/admin-keys';
import { ACCOUNT_TYPE_LABELS, keysHref, type AdminKeyRow, type KeyListQuery } from '@/lib/admin/key-list';
import { permissionNames } from '@/lib/keys/permissions';
import { shortMinute } from './format';
import { KeyListRow, type KeyListRowView } from './key-list-row';

function SortHeader({ query, sort, children }: { query: KeyListQuery; sort: KeySort; children: React.ReactNode }) {
  const current = query.sort === sort;
  const dir = current && query.dir === 'desc' ? 'asc' : 'desc';
  return (
    <th
      scope="col"
      className="px-3 py-3 whitespace-nowrap"
      aria-sort={current ? (query.dir === 'desc' ? 'descending' : 'ascending') : undefined}
    >
      <Link href={keysHref(query, { sort, dir })} prefetch={false} className="hover:underline">
        {children}
        {current ? <span aria-hidden="true">{query.dir === 'desc' ? ' ↓' : ' ↑'}</span> : null}
      </Link>
    </th>
  );
}

/** What a row shows, written here on the server; the client-side KeyListRow only draws it. */
function keyListRowView(key: AdminKeyRow): KeyListRowView {
  return {
    id: key.id,
    name: key.name,
    state: key.state,
    accountName: key.accountName,
    accountLine: `${ACCOUNT_TYPE_LABELS[key.accountType]} · ${key.ownerEmail ?? 'no owner'}`,
    permissions: permissionNames(key.permissions),
    publicKey: key.publicKey,
    created: shortMinute(key.createdAt),
    updated: shortMinute(key.updatedAt),
    lastUsed: key.lastUsedAt ? { at: shortMinute(key.lastUsedAt), ip: key.lastUsedIp ?? '' } : null,
  };
}

export function AdminKeysTable({ keys, query }: { keys: AdminKeyRow[]; query: KeyListQuery }) {
  if (keys.length === 0) {
    return (
      <div className="mt-6 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium">No keys match</p>
        <p className="mt-1 text-sm text-slate-600">Try a shorter search or fewer filters.</p>
      </div>
    );
  }
  return (
    <div
      tabIndex={0}
      role="region"
      aria-label="API keys of every account"
      className="mt-6 overflow-x-auto rounded-xl border border-slate-200 bg-white"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API keys of every account</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-3 py-3">
              Name
            </th>
            <th scope="col" className="px-3 py-3">
              Account · owner
            </th>
            <th scope="col" className="px-3 py-3">
              Permissions
            </th>
            <th scope="col" className="px-3 py-3">
              API Key
            </th>
            <SortHeader query={query} sort="created">
              Created (UTC)
            </SortHeader>
            <SortHeader query={query} sort="updated">
              Last update
            </SortHeader>
            <SortHeader query={query} sort="last_used">
              Last used
            </SortHeader>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {keys.map((key) => (
            <KeyListRow key={key.id} row={keyListRowView(key)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
