import Link from 'next/link';
import { ExpiryBadge, StatusBadge } from '@/components/status-badge';
import { SubmitButton } from '@/components/submit-button';
import type { ApiKeyRow } from '@/db/queries/api-keys';
import { activationRefusal, expiresSoonInDays, expiresSoonText, keyState, keyStateLabel } from '@/lib/keys/state';
import { permissionNames } from '@/lib/keys/permissions';
import { requestActivation } from './[keyId]/activate/actions';
import { utcMinute as when } from '@/lib/platform/utc-time';

/** A time that may wrap between its date and its clock time, never inside either. */
function Time({ at }: { at: Date }) {
  const [date, time] = when(at).split(' ');
  return (
    <time dateTime={at.toISOString()}>
      <span className="whitespace-nowrap">{date}</span> <span className="whitespace-nowrap">{time} UTC</span>
    </time>
  );
}

const actionLink =
  'inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-semibold text-slate-800 hover:bg-slate-100';

export function KeyActions({ apiKey, now }: { apiKey: ApiKeyRow; now: Date }) {
  const state = keyState(apiKey, now);
  const base = `/settings/api-keys/${apiKey.id}`;
  const named = <span className="sr-only"> {apiKey.name}</span>;
  return (
    // The Activate button is the shared SubmitButton; the child selector sizes it like the links.
    <div className="flex flex-wrap gap-1.5 [&_button]:px-2.5 [&_button]:py-1 [&_button]:text-xs">
      {apiKey.status === 'active' && state !== 'revoked' ? (
        <Link href={`${base}/deactivate`} prefetch={false} className={actionLink}>
          Deactivate{named}
        </Link>
      ) : apiKey.status === 'inactive' && !activationRefusal(apiKey, now) ? (
        <form action={requestActivation}>
          <input type="hidden" name="keyId" value={apiKey.id} />
          <SubmitButton variant="secondary">Activate{named}</SubmitButton>
        </form>
      ) : null}
      {state !== 'revoked' ? (
        <Link href={`${base}/edit`} prefetch={false} className={actionLink}>
          Edit{named}
        </Link>
      ) : null}
      <Link href={`${base}/delete`} prefetch={false} className={`${actionLink} text-red-800`}>
        Delete{named}
      </Link>
    </div>
  );
}

export function KeysTable({ keys }: { keys: ApiKeyRow[] }) {
  if (keys.length === 0) {
    return (
      <div className="mt-6 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium">No API keys yet</p>
        <p className="mt-1 text-sm text-slate-600">Create a key to trade and move funds through the REST and WebSocket API.</p>
        <p className="mt-3 text-sm">
          <Link href="/docs/api" className="text-brand underline">
            Read the API documentation
          </Link>{' '}
          <span className="text-slate-600">— how to sign a request, every action and the permission it needs.</span>
        </p>
      </div>
    );
  }
  const now = new Date();
  // `relative`: the screen-reader-only key names in the Actions column are absolutely placed; the
  // scroller must be their containing block, or they widen the whole page on a phone.
  return (
    <div
      tabIndex={0}
      role="region"
      aria-label="API keys of this account"
      className="relative mt-6 overflow-x-auto rounded-xl border border-slate-200 bg-white"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API keys of this account</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-3 py-3">
              Name
            </th>
            <th scope="col" className="px-3 py-3">
              Permissions
            </th>
            <th scope="col" className="px-3 py-3">
              API Key
            </th>
            <th scope="col" className="px-3 py-3">
              Last update
            </th>
            <th scope="col" className="px-3 py-3">
              Last used
            </th>
            <th scope="col" className="px-3 py-3">
              Actions
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {keys.map((key) => {
            const state = keyState(key, now);
            const soon = state === 'active' || state === 'inactive' ? expiresSoonInDays(key, now) : null;
            return (
              <tr key={key.id} className={soon !== null ? 'bg-amber-50' : undefined}>
                <th scope="row" className="px-3 py-3 font-medium">
                  <Link href={`/settings/api-keys/${key.id}`} prefetch={false} className="text-brand underline-offset-2 hover:underline">
                    {key.name}
                  </Link>
                  <StatusBadge status={state} />
                  {soon !== null ? <ExpiryBadge text={expiresSoonText(soon)} /> : null}
                  {state === 'suspended' || state === 'revoked' ? (
                    <p className="mt-1 text-xs font-normal text-red-800">{keyStateLabel(key, now)}</p>
                  ) : null}
                </th>
                <td className="px-3 py-3">{permissionNames(key.permissions)}</td>
                <td className="min-w-52 px-3 py-3 font-mono text-xs break-all">{key.publicKey}</td>
                <td className="px-3 py-3">
                  <Time at={key.updatedAt} />
                </td>
                <td className="px-3 py-3">
                  {key.lastUsedAt ? (
                    <>
                      <Time at={key.lastUsedAt} /> · {key.lastUsedIp ?? ''}
                    </>
                  ) : (
                    'Never'
                  )}
                </td>
                <td className="px-3 py-3">
                  <KeyActions apiKey={key} now={now} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
