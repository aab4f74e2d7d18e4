import type { ParamDoc } from '@/lib/api/docs';

export function ParamsTable({ action, params }: { action: string; params: ParamDoc[] }) {
  if (params.length === 0)
    return (
      <p className="mt-3 text-sm text-slate-600">
        No parameters: send <code className="font-mono">{'{}'}</code>.
      </p>
    );
  return (
    // Focusable and named: on a narrow screen the table scrolls sideways, from the keyboard too.
    <div
      role="region"
      aria-label={`Parameters of ${action}`}
      tabIndex={0}
      className="mt-3 overflow-x-auto rounded-lg border border-slate-200"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Parameters of {action}</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-3 py-2">
              Name
            </th>
            <th scope="col" className="px-3 py-2">
              Type
            </th>
            <th scope="col" className="px-3 py-2">
              Required
            </th>
            <th scope="col" className="px-3 py-2">
              Description
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {params.map((p) => (
            <tr key={p.name}>
              <th scope="row" className="px-3 py-2 font-mono text-xs font-medium">
                {p.name}
              </th>
              <td className="px-3 py-2 font-mono text-xs text-slate-700">{p.type}</td>
              <td className="px-3 py-2">{p.required ? 'Yes' : 'No'}</td>
              <td className="px-3 py-2 text-slate-700">{p.description || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
