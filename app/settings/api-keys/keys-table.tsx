import Link from 'next/link';
import type { ApiKeyRow } from '@/db/queries/api-keys';
import { activationRefusal, expiresSoonInDays, expiresSoonText, keyState, keyStateLabel } from '@/lib/keys/state';
import { ActivateButton, KeyRow, Named, type KeyRowView } from './key-row';

/** What the owner may do with a key now: one rule for the list's row and the key's own page. */
function keyActions(apiKey: ApiKeyRow, now: Date) {
  const state = keyState(apiKey, now);
  return {
    deactivate: apiKey.status === 'active' && state !== 'revoked',
    activate: apiKey.status === 'inactive' && !activationRefusal(apiKey, now),
    edit: state !== 'revoked',
  };
}

const actionLink =
  'inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-semibold text-slate-800 hover:bg-slate-100';

/** The key's own page: every action as a button of its own. */
export function KeyActions({ apiKey, now }: { apiKey: ApiKeyRow; now: Date }) {
  const can = keyActions(apiKey, now);
  const base = `/settings/api-keys/${apiKey.id}`;
  return (
    // The Activate button is the shared SubmitButton; the child selector sizes it like the links.
    <div className="flex flex-wrap gap-1.5 [&_button]:px-2.5 [&_button]:py-1 [&_button]:text-xs">
      {can.deactivate ? (
        <Link href={`${base}/deactivate`} prefetch={false} className={actionLink}>
          Deactivate
          <Named name={apiKey.name} />
        </Link>
      ) : can.activate ? (
        <ActivateButton keyId={apiKey.id} name={apiKey.name} />
      ) : null}
      {can.edit ? (
        <Link href={`${base}/edit`} prefetch={false} className={actionLink}>
          Edit
          <Named name={apiKey.name} />
        </Link>
      ) : null}
      <Link href={`${base}/delete`} prefetch={false} className={`${actionLink} text-red-800`}>
        Delete
        <Named name={apiKey.name} />
      </Link>
    </div>
  );
}

/**
 * What a row shows, decided here on the server (the key's state needs the clock; the actions
 * follow keyActions): the client-side KeyRow only draws it. A row drawn by a server component
 * travelled twice — as HTML and as the whole drawn tree in the page's RSC payload (~9.6 KB a
 * row); as a client component its payload is these few facts.
 */
function keyRowView(key: ApiKeyRow, now: Date): KeyRowView {
  const state = keyState(key, now);
  const soon = state === 'active' || state === 'inactive' ? expiresSoonInDays(key, now) : null;
  return {
    id: key.id,
    name: key.name,
    publicKey: key.publicKey,
    permissions: key.permissions,
    state,
    stoppedBecause: state === 'suspended' || state === 'revoked' ? keyStateLabel(key, now) : null,
    expiresSoon: soon === null ? null : expiresSoonText(soon),
    updatedAt: key.updatedAt,
    lastUsedAt: key.lastUsedAt,
    lastUsedIp: key.lastUsedIp,
    can: keyActions(key, now),
  };
}

export function KeysTable({ keys, filtered }: { keys: ApiKeyRow[]; filtered?: boolean }) {
  if (keys.length === 0 && filtered) {
    return <p className="mt-6 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-sm">No keys match.</p>;
  }
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
  // `relative`: the screen-reader-only texts are absolutely placed; this box must be their
  // containing block, or they widen the whole page on a phone.
  return (
    <div className="relative mt-6 xl:rounded-xl xl:border xl:border-slate-200 xl:bg-white">
      <table className="block w-full text-left text-sm xl:table">
        <caption className="sr-only">API keys of this account</caption>
        <thead className="hidden text-xs text-slate-600 uppercase xl:table-header-group">
          <tr className="border-b border-slate-200">
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
            <th scope="col" className="px-3 py-3 text-right">
              Actions
            </th>
          </tr>
        </thead>
        <tbody className="grid gap-3 md:grid-cols-2 xl:table-row-group xl:divide-y xl:divide-slate-200">
          {keys.map((key) => (
            <KeyRow key={key.id} row={keyRowView(key, now)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
