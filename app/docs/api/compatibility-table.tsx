import { compatibilityRows } from '@/lib/api/compatibility';
import { PERMISSION_LABELS } from '@/lib/keys/permissions';
import { anchorOf } from '@/lib/api/docs';

/** Every action next to CEX.IO Prime's: same name throughout; what differs, if anything. */
export function CompatibilityTable() {
  return (
    <div
      role="region"
      aria-label="Compatibility with CEX.IO Prime"
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-slate-200 bg-white"
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
          {compatibilityRows().map((row) => (
            <tr key={row.name}>
              <th scope="row" className="px-3 py-2 font-mono text-xs font-normal whitespace-nowrap">
                {row.permission === 'not offered' ? (
                  row.name
                ) : (
                  <a href={`#${anchorOf(row.name)}`} className="text-brand-dark underline underline-offset-4">
                    {row.name}
                  </a>
                )}
              </th>
              <td className="px-3 py-2 whitespace-nowrap text-slate-700">
                {row.permission === null ? 'Public' : row.permission === 'not offered' ? '—' : PERMISSION_LABELS[row.permission]}
              </td>
              <td className="px-3 py-2 text-slate-700">{row.difference ?? 'None'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
