import { StatusBadge } from '@/components/status-badge';
import { SubmitButton } from '@/components/submit-button';
import type { ApiKeyRow } from '@/db/queries/api-keys';
import { PERMISSION_LABELS, isPermission } from '@/lib/permissions';
import { requestActivation } from './[keyId]/activate/actions';

const when = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export function KeysTable({ keys }: { keys: ApiKeyRow[] }) {
  if (keys.length === 0) {
    return (
      <div className="mt-6 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium">No API keys yet</p>
        <p className="mt-1 text-sm text-slate-600">Create a key to trade and move funds through the REST and WebSocket API.</p>
      </div>
    );
  }
  return (
    <div className="mt-6 overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API keys of this account</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">Name</th>
            <th scope="col" className="px-4 py-3">Permissions</th>
            <th scope="col" className="px-4 py-3">API Key</th>
            <th scope="col" className="px-4 py-3">Last update</th>
            <th scope="col" className="px-4 py-3">Last used</th>
            <th scope="col" className="px-4 py-3">Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {keys.map((key) => (
            <tr key={key.id}>
              <th scope="row" className="px-4 py-3 font-medium">
                {key.name}
                <StatusBadge status={key.status} />
              </th>
              <td className="px-4 py-3">{key.permissions.map((p) => (isPermission(p) ? PERMISSION_LABELS[p] : p)).join(', ')}</td>
              <td className="px-4 py-3 font-mono text-xs">{key.publicKey}</td>
              <td className="px-4 py-3 whitespace-nowrap">{when(key.updatedAt)}</td>
              <td className="px-4 py-3 whitespace-nowrap">{key.lastUsedAt ? `${when(key.lastUsedAt)} · ${key.lastUsedIp ?? ''}` : 'Never'}</td>
              <td className="px-4 py-3">
                {key.status === 'inactive' ? (
                  <form action={requestActivation}>
                    <input type="hidden" name="keyId" value={key.id} />
                    <SubmitButton variant="secondary">
                      Activate<span className="sr-only"> {key.name}</span>
                    </SubmitButton>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
