import Link from 'next/link';
import { ButtonLink } from '@/components/button-link';
import { FormNotice } from '@/components/field';
import { getDb } from '@/lib/platform/database';
import { timedStep } from '@/lib/platform/page-timing';
import { listAccountKeys } from '@/db/queries/api-keys';
import { KEY_STATE_LABELS, KEY_STATES } from '@/lib/keys/state';
import { filterKeys, isFiltering, KEY_SEARCH_MAX, offersSearch, parseKeyListFilter, type KeyListFilterParse } from '@/lib/keys/list-filter';
import { KeysTable } from './keys-table';
import { ownEntry } from '@/lib/platform/own-entry';

const NOTICES: Record<string, string> = {
  activated: 'The API key is active.',
  later: 'The API key was created and is inactive. Activate it from this list when you need it.',
  deactivated: 'The API key is inactive: it stopped working at once. Activate it again when you need it.',
  edited: 'The changes were saved and apply at once.',
  'edited-inactive': 'The changes were saved. They widen access, so the key is inactive until you activate it again with an email code.',
  deleted: 'The API key was deleted. It no longer works.',
  gone: 'That API key no longer exists: it was deleted. Nothing was changed.',
  'all-deactivated':
    'Every active API key was deactivated and your other browsers were signed out. Change your password if you have not yet.',
};

export type KeyListParams = { q?: string | string[]; status?: string | string[] };

const control =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm aria-[invalid=true]:border-red-600';

/** A bad URL parameter's message under its field, tied to it for screen readers. */
const tiedToError = (id: string, message?: string) => (message ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});

function ParamError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  ) : null;
}

/** Search and status filter: a plain GET form, so it works without JavaScript and can be linked. */
function KeySearch({ parsed, shown, total }: { parsed: KeyListFilterParse; shown: number; total: number }) {
  const { filter, errors } = parsed;
  return (
    <form
      method="get"
      action="/settings/api-keys"
      role="search"
      aria-label="Search keys"
      className="mt-6 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4"
    >
      <div className="min-w-48 flex-1">
        <label htmlFor="keys-q" className="block text-sm font-medium text-slate-800">
          Search
        </label>
        <input
          id="keys-q"
          name="q"
          type="search"
          defaultValue={filter.q}
          maxLength={KEY_SEARCH_MAX}
          placeholder="Key name or API key"
          {...tiedToError('keys-q', errors.q)}
          className={control}
        />
        <ParamError id="keys-q" message={errors.q} />
      </div>
      <div className="w-full sm:w-44">
        <label htmlFor="keys-status" className="block text-sm font-medium text-slate-800">
          Status
        </label>
        <select
          id="keys-status"
          name="status"
          defaultValue={filter.status ?? ''}
          {...tiedToError('keys-status', errors.status)}
          className={control}
        >
          <option value="">Any status</option>
          {KEY_STATES.map((s) => (
            <option key={s} value={s}>
              {KEY_STATE_LABELS[s]}
            </option>
          ))}
        </select>
        <ParamError id="keys-status" message={errors.status} />
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white hover:bg-brand-dark">
          Search
        </button>
        {isFiltering(filter) || errors.q || errors.status ? (
          <Link href="/settings/api-keys" prefetch={false} className="text-sm font-medium text-brand-dark underline">
            Clear
          </Link>
        ) : null}
      </div>
      <p className="w-full text-sm text-slate-600">{isFiltering(filter) ? `${shown} of ${total} keys` : `${total} keys`}</p>
    </form>
  );
}

/**
 * The key list with its header; the dialogs of the create flow are drawn over it. Search and a
 * status filter appear once the account has more keys than fit at a glance (or a filter is set).
 */
export async function KeysOverview({ accountId, notice, params = {} }: { accountId: string; notice?: string; params?: KeyListParams }) {
  const keys = await timedStep('data', () => listAccountKeys(getDb(), accountId));
  const parsed = parseKeyListFilter(params);
  const filtering = isFiltering(parsed.filter);
  const shown = filtering ? filterKeys(keys, parsed.filter, new Date()) : keys;
  return (
    <section>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">API Keys Management</h1>
        <div className="flex flex-wrap gap-3">
          {/* For the moment something looks wrong: the same step as the security emails' "This wasn't me" link. */}
          {keys.some((key) => key.status === 'active') ? (
            <ButtonLink href="/settings/api-keys/deactivate-all" variant="secondary">
              Deactivate all keys
            </ButtonLink>
          ) : null}
          <ButtonLink href="/settings/api-keys/new">+ NEW API KEY</ButtonLink>
        </div>
      </div>
      {ownEntry(NOTICES, notice) ? (
        <div className="mt-4">
          <FormNotice message={ownEntry(NOTICES, notice)} />
        </div>
      ) : null}
      {offersSearch(keys.length, parsed) ? <KeySearch parsed={parsed} shown={shown.length} total={keys.length} /> : null}
      <KeysTable keys={shown} filtered={filtering} />
    </section>
  );
}
