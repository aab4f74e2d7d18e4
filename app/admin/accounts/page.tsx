import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/lib/platform/database';
import { accountsHref, loadAccountsPage, parseAccountListParams } from '@/lib/admin/account-list';
import { ACCOUNT_TYPE_LABELS } from '@/lib/admin/key-list';
import { requireAdmin } from '@/lib/web/auth';
import type { RawParams } from '@/lib/admin/search-params';
import { minute } from '../format';
import { Pager } from '../pager';
import { ListTable } from '../list-table';
import { ParamErrors } from '../param-errors';

export const metadata: Metadata = { title: 'Admin · Accounts' };

function SearchForm({ q }: { q?: string }) {
  return (
    <form method="get" action="/admin/accounts" role="search" aria-label="Search accounts" className="mt-6 flex items-end gap-3">
      <div className="w-80">
        <label htmlFor="accounts-q" className="block text-sm font-medium text-slate-800">
          Account name starts with
        </label>
        <input
          id="accounts-q"
          name="q"
          type="search"
          maxLength={100}
          defaultValue={q ?? ''}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
        />
      </div>
      <button
        type="submit"
        className="inline-flex items-center rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white hover:bg-brand-dark"
      >
        Search
      </button>
    </form>
  );
}

/** Accounts by name with owner, type and key counts; keyset-paged like every admin list. */
export default async function AdminAccountsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireAdmin();
  const parsed = parseAccountListParams(await searchParams);
  const heading = <h1 className="text-2xl font-semibold">Accounts</h1>;
  if (!parsed.ok) {
    return (
      <section>
        {heading}
        <SearchForm q={parsed.values.q} />
        <ParamErrors errors={parsed.errors} resetHref="/admin/accounts" />
      </section>
    );
  }
  const { query } = parsed;
  const db = getDb();
  const now = new Date();
  const page = await loadAccountsPage(db, query, now);
  return (
    <section>
      {heading}
      <SearchForm q={query.q} />
      <ListTable
        caption="Accounts"
        empty={page.rows.length === 0 ? 'No accounts match' : null}
        columns={[
          { label: 'Account' },
          { label: 'Type' },
          { label: 'Owner' },
          { label: 'Active keys', right: true },
          { label: 'All keys', right: true },
          { label: 'Created' },
          { label: 'History' },
        ]}
      >
        {page.rows.map((a) => (
          <tr key={a.id}>
            <th scope="row" className="px-3 py-3 font-medium">
              <Link href={`/admin/keys?account=${a.id}`} prefetch={false} className="text-brand underline">
                {a.name}
              </Link>
            </th>
            <td className="px-3 py-3">{ACCOUNT_TYPE_LABELS[a.type]}</td>
            <td className="px-3 py-3">
              {a.ownerEmail ? (
                <>
                  <span className="block">{a.ownerName}</span>
                  <span className="block text-xs text-slate-600">{a.ownerEmail}</span>
                  {a.ownerSecondFactorLocked && a.ownerId ? (
                    <Link
                      href={`/admin/people?user=${a.ownerId}`}
                      prefetch={false}
                      className="mt-1 inline-block rounded-md bg-red-700 px-2 py-0.5 text-xs font-semibold text-white underline"
                    >
                      Second factor locked
                    </Link>
                  ) : null}
                  {a.ownerDisabled && a.ownerId ? (
                    <>
                      <Link
                        href={`/admin/people?user=${a.ownerId}`}
                        prefetch={false}
                        className="mt-1 inline-block rounded-md bg-red-700 px-2 py-0.5 text-xs font-semibold text-white underline"
                      >
                        Owner disabled
                      </Link>
                      <span className="block text-xs text-slate-700">Reason: {a.ownerDisabledReason}</span>
                    </>
                  ) : null}
                </>
              ) : (
                <span className="text-slate-500">No owner</span>
              )}
            </td>
            <td className="px-3 py-3 text-right tabular-nums">{a.activeKeys}</td>
            <td className="px-3 py-3 text-right tabular-nums">{a.totalKeys}</td>
            <td className="px-3 py-3 whitespace-nowrap">{minute(a.createdAt)}</td>
            <td className="px-3 py-3">
              <Link href={`/admin/audit?account=${a.id}`} prefetch={false} className="text-brand underline">
                Audit log
              </Link>
            </td>
          </tr>
        ))}
      </ListTable>
      <Pager
        label="Account pages"
        prevHref={page.prev ? accountsHref(query, { before: page.prev }) : null}
        nextHref={page.next ? accountsHref(query, { after: page.next }) : null}
      />
    </section>
  );
}
