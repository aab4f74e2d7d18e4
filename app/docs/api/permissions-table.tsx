import type { ApiAction } from '@/lib/api/action';
import { anchorOf } from '@/lib/api/docs';
import { PERMISSION_DESCRIPTIONS, PERMISSIONS, PERMISSION_LABELS } from '@/lib/keys/permissions';

// What each level is for is said once (lib/keys/permissions.ts); which actions need it comes from the registry.

export function PermissionsTable({ actions }: { actions: readonly ApiAction[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Permission levels and the actions that need each</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-3 py-2">
              Permission
            </th>
            <th scope="col" className="px-3 py-2">
              Allows
            </th>
            <th scope="col" className="px-3 py-2">
              Actions
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 align-top">
          {PERMISSIONS.map((p) => {
            const needing = actions.filter((a) => a.permission === p);
            return (
              <tr key={p}>
                <th scope="row" className="px-3 py-2 font-medium whitespace-nowrap">
                  {PERMISSION_LABELS[p]}
                  <span className="block font-mono text-xs font-normal text-slate-500">{p}</span>
                </th>
                <td className="px-3 py-2 text-slate-700">{PERMISSION_DESCRIPTIONS[p]}</td>
                <td className="px-3 py-2">
                  {needing.length === 0 ? (
                    <span className="text-slate-600">None yet</span>
                  ) : (
                    <ul className="flex flex-wrap gap-x-3 gap-y-1">
                      {needing.map((a) => (
                        <li key={a.name}>
                          <a href={`#${anchorOf(a.name)}`} className="font-mono text-xs text-brand-dark underline underline-offset-4">
                            {a.name}
                          </a>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
