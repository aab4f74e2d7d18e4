'use client';

import Link from 'next/link';
import { CopyButton } from '@/components/copy-button';
import { DisclosureMenu } from '@/components/disclosure-menu';
import { PermissionChips } from '@/components/key-access';
import { ExpiryBadge, StatusBadge } from '@/components/status-badge';
import { SubmitButton } from '@/components/submit-button';
import type { KeyState } from '@/lib/keys/state';
import { utcMinute } from '@/lib/platform/utc-time';
import { requestActivation } from './[keyId]/activate/actions';

/**
 * One row of the owner's key list, as the server decided it (keys-table.tsx `keyRowView`): only
 * what the row shows, so the page carries each key's facts once instead of its whole drawn row.
 */
export interface KeyRowView {
  id: string;
  name: string;
  publicKey: string;
  permissions: string[];
  state: KeyState;
  /** Why an administrator stopped the key (suspended or revoked), else null. */
  stoppedBecause: string | null;
  /** "Expires in 3 days" for a usable key close to its expiry, else null. */
  expiresSoon: string | null;
  updatedAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  can: { activate: boolean; edit: boolean; deactivate: boolean };
}

/** A time that may wrap between its date and its clock time, never inside either. */
function Time({ at }: { at: Date }) {
  const [date, time] = utcMinute(at).split(' ');
  return (
    <time dateTime={at.toISOString()}>
      <span className="whitespace-nowrap">{date}</span> <span className="whitespace-nowrap">{time} UTC</span>
    </time>
  );
}

/** The key named for screen readers, so that "Edit" out of context still says which key. */
export const Named = ({ name }: { name: string }) => <span className="sr-only"> {name}</span>;

/** Activate: from the list (a key created "to activate later") and on the key's own page. */
export function ActivateButton({ keyId, name }: { keyId: string; name: string }) {
  return (
    <form action={requestActivation}>
      <input type="hidden" name="keyId" value={keyId} />
      <SubmitButton variant="secondary">
        Activate
        <Named name={name} />
      </SubmitButton>
    </form>
  );
}

/** Activate stays a button in sight; the rest sits in the row's menu, each entry naming its key. */
function RowActions({ row }: { row: KeyRowView }) {
  const base = `/settings/api-keys/${row.id}`;
  const item = (href: string, label: string, danger?: boolean) => (
    <li>
      <Link href={href} prefetch={false} className={`key-menu-item ${danger ? 'text-red-800' : 'text-slate-800'}`}>
        {label}
        <Named name={row.name} />
      </Link>
    </li>
  );
  return (
    // The Activate button is the shared SubmitButton; the child selector sizes it like the menu.
    <div className="flex items-center justify-end gap-1.5 [&_button]:px-2.5 [&_button]:py-1 [&_button]:text-xs">
      {row.can.activate ? <ActivateButton keyId={row.id} name={row.name} /> : null}
      <DisclosureMenu
        summary={
          <>
            <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4" fill="currentColor">
              <circle cx="3" cy="8" r="1.5" />
              <circle cx="8" cy="8" r="1.5" />
              <circle cx="13" cy="8" r="1.5" />
            </svg>
            <span className="sr-only">Actions for {row.name}</span>
          </>
        }
      >
        {item(base, 'Details')}
        {row.can.edit ? item(`${base}/edit`, 'Edit') : null}
        {row.can.deactivate ? item(`${base}/deactivate`, 'Deactivate') : null}
        {item(`${base}/delete`, 'Delete', true)}
      </DisclosureMenu>
    </div>
  );
}

/** `kd_AbCdEfGh…WxYz`: enough to tell keys apart; the whole key is on the key's page. */
const shortKey = (publicKey: string) => (publicKey.length > 18 ? `${publicKey.slice(0, 11)}…${publicKey.slice(-4)}` : publicKey);

/**
 * Below xl each row is a card (a grid of its cells, each labelled by a ::before from data-label,
 * which is not part of the cell's text); from xl on, a table row. The class names are the design
 * system's (app/globals.css), one per role, rather than the same utility lists on every row.
 */
export function KeyRow({ row }: { row: KeyRowView }) {
  return (
    <tr className={`key-row ${row.expiresSoon !== null ? 'bg-amber-50' : 'bg-white'}`}>
      <th scope="row" className="key-cell col-span-2 font-medium">
        <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <Link href={`/settings/api-keys/${row.id}`} prefetch={false} className="key-name">
            {row.name}
          </Link>
          <StatusBadge status={row.state} className="" />
          {row.expiresSoon !== null ? <ExpiryBadge text={row.expiresSoon} className="" /> : null}
        </span>
        {row.stoppedBecause !== null ? <span className="mt-1 block text-xs font-normal text-red-800">{row.stoppedBecause}</span> : null}
      </th>
      <td data-label="Permissions" className="key-cell key-cell-labelled col-span-2 xl:max-w-52">
        <PermissionChips permissions={row.permissions} />
      </td>
      <td data-label="API key" className="key-cell key-cell-labelled col-span-2">
        <span className="flex items-center gap-1.5">
          <code title={row.publicKey} className="font-mono text-xs whitespace-nowrap">
            {shortKey(row.publicKey)}
          </code>
          <CopyButton value={row.publicKey} label={`Copy the API key of ${row.name}`} compact />
        </span>
      </td>
      <td data-label="Last update" className="key-cell key-cell-labelled">
        <Time at={row.updatedAt} />
      </td>
      <td data-label="Last used" className="key-cell key-cell-labelled">
        {row.lastUsedAt ? (
          <>
            <Time at={row.lastUsedAt} /> <span className="whitespace-nowrap">· {row.lastUsedIp ?? ''}</span>
          </>
        ) : (
          'Never'
        )}
      </td>
      <td className="key-cell col-span-2 xl:w-px xl:whitespace-nowrap">
        <RowActions row={row} />
      </td>
    </tr>
  );
}
