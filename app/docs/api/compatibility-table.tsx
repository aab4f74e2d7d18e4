import { compatibilityRows, type CompatibilityRow } from '@/lib/api/compatibility';
import { PERMISSION_LABELS } from '@/lib/keys/permissions';
import { anchorOf } from '@/lib/api/docs';

const permissionOf = (row: CompatibilityRow) =>
  row.permission === null ? 'Public' : row.permission === 'not offered' ? '—' : PERMISSION_LABELS[row.permission];

function ActionName({ row }: { row: CompatibilityRow }) {
  if (row.permission === 'not offered') return <>{row.name}</>;
  return (
    <a href={`#${anchorOf(row.name)}`} className="text-brand-dark underline underline-offset-4">
      {row.name}
    </a>
  );
}

/**
 * Every action next to CEX.IO Prime's: same name throughout; what differs, if anything. A table
 * from 640 px, a list of cards below (three columns do not fit a phone).
 */
export function CompatibilityTable() {
  const rows = compatibilityRows();
  return (
    <>
      <ul className="space-y-2 sm:hidden">
        {rows.map((row) => (
          <li key={row.name} className="rounded-lg border border-slate-200 bg-white p-3">
            <p className="font-mono text-xs break-all">
              <ActionName row={row} />
            </p>
            <p className="mt-1 text-xs text-slate-600">{permissionOf(row)}</p>
            <p className="mt-1 text-slate-700">{row.difference ?? 'No difference'}</p>
          </li>
        ))}
      </ul>
      <div
        role="region"
        aria-label="Compatibility with CEX.IO Prime"
        tabIndex={0}
        className="hidden overflow-x-auto rounded-lg border border-slate-200 bg-white sm:block"
      >
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Each action, its permission, and how it differs from CEX.IO Prime Liquidity</caption>
          <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-3 py-2">
                Action (CEX.IO name)
              </th>
              <th scope="col" className="px-3 py-2">
                Permission
              </th>
              <th scope="col" className="px-3 py-2">
                Difference from CEX.IO
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 align-top">
            {rows.map((row) => (
              <tr key={row.name}>
                <th scope="row" className="px-3 py-2 font-mono text-xs font-normal whitespace-nowrap">
                  <ActionName row={row} />
                </th>
                <td className="px-3 py-2 whitespace-nowrap text-slate-700">{permissionOf(row)}</td>
                <td className="px-3 py-2 text-slate-700">{row.difference ?? 'None'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
