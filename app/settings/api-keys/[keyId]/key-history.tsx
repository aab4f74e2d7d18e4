import type { KeyHistoryEntry } from '@/db/queries/api-keys';
import { utcMinute as when } from '@/lib/platform/utc-time';

const LABELS: Record<string, string> = {
  'api_key.created': 'Created',
  'api_key.secret_revealed': 'Secret shown (once)',
  'api_key.activated': 'Activated',
  'api_key.deactivated': 'Deactivated',
  'api_key.edited': 'Edited',
  'api_key.secret_rotated': 'Secret rotated',
  'api_key.deleted': 'Deleted',
  'api_key.suspended': 'Suspended by an administrator',
  'api_key.unsuspended': 'Suspension lifted by an administrator',
  'api_key.revoked': 'Revoked by an administrator',
};

const METHODS: Record<string, string> = { sms: 'an SMS code', totp: 'an authenticator code', email: 'an email code' };

function label(entry: KeyHistoryEntry): string {
  const kind = entry.details.kind === 'delete' ? 'Deletion' : entry.details.kind === 'rotate' ? 'Secret rotation' : 'Edit';
  if (entry.action === 'key_change.pending') return `${kind} requested`;
  if (entry.action === 'key_change.void') return `${kind} request ended`;
  return LABELS[entry.action] ?? entry.action;
}

/** The few detail fields worth showing; details never hold secrets, but are not dumped raw either. */
function describe(entry: KeyHistoryEntry): string[] {
  const d = entry.details;
  const lines: string[] = [];
  if (Array.isArray(d.changes)) lines.push(...d.changes.filter((c): c is string => typeof c === 'string'));
  if (d.deactivated === true) lines.push('Widened access: the key was deactivated');
  if (typeof d.reason === 'string' && d.reason) lines.push(`Reason: ${d.reason}`);
  if (typeof d.method === 'string' && METHODS[d.method]) lines.push(`Confirmed with ${METHODS[d.method]}`);
  return lines;
}

export function KeyHistory({ entries }: { entries: KeyHistoryEntry[] }) {
  if (entries.length === 0) return <p className="mt-3 text-sm text-slate-600">No events recorded for this key yet.</p>;
  // Focusable: on a phone the table scrolls sideways, which the keyboard must reach too.
  return (
    <div
      tabIndex={0}
      role="region"
      aria-label="History of this key"
      className="mt-3 overflow-x-auto rounded-xl border border-slate-200 bg-white"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">History of this key, newest first</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">
              When
            </th>
            <th scope="col" className="px-4 py-3">
              Event
            </th>
            <th scope="col" className="px-4 py-3">
              By
            </th>
            <th scope="col" className="px-4 py-3">
              IP
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {entries.map((entry) => {
            const lines = describe(entry);
            return (
              <tr key={entry.id}>
                <td className="px-4 py-3 align-top whitespace-nowrap">{when(entry.at)}</td>
                <td className="px-4 py-3 align-top">
                  <span className={entry.success ? 'font-medium' : 'font-medium text-red-800'}>{label(entry)}</span>
                  {lines.length ? (
                    <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
                      {lines.map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
                <td className="px-4 py-3 align-top">{entry.actorEmail ?? '—'}</td>
                <td className="px-4 py-3 align-top font-mono text-xs">{entry.ip ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
