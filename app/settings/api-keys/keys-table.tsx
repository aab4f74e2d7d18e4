import Link from 'next/link';
import { CopyButton } from '@/components/copy-button';
import { DisclosureMenu } from '@/components/disclosure-menu';
import { PermissionChips } from '@/components/key-access';
import { ExpiryBadge, StatusBadge } from '@/components/status-badge';
import { SubmitButton } from '@/components/submit-button';
import type { ApiKeyRow } from '@/db/queries/api-keys';
import { activationRefusal, expiresSoonInDays, expiresSoonText, keyState, keyStateLabel } from '@/lib/keys/state';
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

/** The key named for screen readers, so that "Edit" out of context still says which key. */
const Named = ({ name }: { name: string }) => <span className="sr-only"> {name}</span>;

function ActivateButton({ apiKey }: { apiKey: ApiKeyRow }) {
  return (
    <form action={requestActivation}>
      <input type="hidden" name="keyId" value={apiKey.id} />
      <SubmitButton variant="secondary">
        Activate
        <Named name={apiKey.name} />
      </SubmitButton>
    </form>
  );
}

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
        <ActivateButton apiKey={apiKey} />
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

// Here, not next to the client-side DisclosureMenu: a server component importing a plain value
// from a 'use client' module gets a client reference, not the string.
const menuItem = 'block px-3 py-2 font-medium hover:bg-slate-100';

/**
 * A row of the list: Activate stays a button in sight (a key created "to activate later" is
 * activated from here); the rest sits in the row's menu, each entry naming its key.
 */
function RowActions({ apiKey, now }: { apiKey: ApiKeyRow; now: Date }) {
  const can = keyActions(apiKey, now);
  const base = `/settings/api-keys/${apiKey.id}`;
  const item = (href: string, label: string, danger?: boolean) => (
    <li>
      <Link href={href} prefetch={false} className={`${menuItem} ${danger ? 'text-red-800' : 'text-slate-800'}`}>
        {label}
        <Named name={apiKey.name} />
      </Link>
    </li>
  );
  return (
    <div className="flex items-center justify-end gap-1.5 [&_button]:px-2.5 [&_button]:py-1 [&_button]:text-xs">
      {can.activate ? <ActivateButton apiKey={apiKey} /> : null}
      <DisclosureMenu
        summary={
          <>
            <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4" fill="currentColor">
              <circle cx="3" cy="8" r="1.5" />
              <circle cx="8" cy="8" r="1.5" />
              <circle cx="13" cy="8" r="1.5" />
            </svg>
            <span className="sr-only">Actions for {apiKey.name}</span>
          </>
        }
      >
        {item(base, 'Details')}
        {can.edit ? item(`${base}/edit`, 'Edit') : null}
        {can.deactivate ? item(`${base}/deactivate`, 'Deactivate') : null}
        {item(`${base}/delete`, 'Delete', true)}
      </DisclosureMenu>
    </div>
  );
}

/** `kd_AbCdEfGh…WxYz`: enough to tell keys apart; the whole key is on the key's page. */
const shortKey = (publicKey: string) => (publicKey.length > 18 ? `${publicKey.slice(0, 11)}…${publicKey.slice(-4)}` : publicKey);

// Below xl each row is a card (a grid of its cells, each labelled by a ::before from data-label,
// which is not part of the cell's text); from xl on, a table with one line per key.
const cell = 'block xl:table-cell xl:px-3 xl:py-3 xl:align-middle';
const labelled =
  'before:mb-1 before:block before:text-xs before:font-medium before:text-slate-600 before:content-[attr(data-label)] xl:before:content-none';

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
          {keys.map((key) => {
            const state = keyState(key, now);
            const soon = state === 'active' || state === 'inactive' ? expiresSoonInDays(key, now) : null;
            return (
              <tr
                key={key.id}
                className={`grid grid-cols-2 content-start gap-x-4 gap-y-3 rounded-xl border border-slate-200 p-4 xl:table-row xl:rounded-none xl:border-0 xl:p-0 ${soon !== null ? 'bg-amber-50' : 'bg-white'}`}
              >
                <th scope="row" className={`${cell} col-span-2 font-medium`}>
                  <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <Link
                      href={`/settings/api-keys/${key.id}`}
                      prefetch={false}
                      className="break-words text-brand-dark underline-offset-2 hover:underline"
                    >
                      {key.name}
                    </Link>
                    <StatusBadge status={state} className="" />
                    {soon !== null ? <ExpiryBadge text={expiresSoonText(soon)} className="" /> : null}
                  </span>
                  {state === 'suspended' || state === 'revoked' ? (
                    <span className="mt-1 block text-xs font-normal text-red-800">{keyStateLabel(key, now)}</span>
                  ) : null}
                </th>
                <td data-label="Permissions" className={`${cell} ${labelled} col-span-2 xl:max-w-52`}>
                  <PermissionChips permissions={key.permissions} />
                </td>
                <td data-label="API key" className={`${cell} ${labelled} col-span-2`}>
                  <span className="flex items-center gap-1.5">
                    <code title={key.publicKey} className="font-mono text-xs whitespace-nowrap">
                      {shortKey(key.publicKey)}
                    </code>
                    <CopyButton value={key.publicKey} label={`Copy the API key of ${key.name}`} compact />
                  </span>
                </td>
                <td data-label="Last update" className={`${cell} ${labelled}`}>
                  <Time at={key.updatedAt} />
                </td>
                <td data-label="Last used" className={`${cell} ${labelled}`}>
                  {key.lastUsedAt ? (
                    <>
                      <Time at={key.lastUsedAt} /> <span className="whitespace-nowrap">· {key.lastUsedIp ?? ''}</span>
                    </>
                  ) : (
                    'Never'
                  )}
                </td>
                <td className={`${cell} col-span-2 xl:w-px xl:whitespace-nowrap`}>
                  <RowActions apiKey={key} now={now} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
