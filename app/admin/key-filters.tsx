import Link from 'next/link';
import { ACCOUNT_TYPE_LABELS, ACCOUNT_TYPES, KEY_SORT_LABELS, KEY_SORTS } from '@/lib/admin/key-list';
import { KEY_STATE_LABELS, KEY_STATES } from '@/lib/keys/state';
import { PERMISSION_LABELS, PERMISSIONS } from '@/lib/keys/permissions';

const control = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm';

function Select({
  label,
  name,
  value,
  options,
  any,
}: {
  label: string;
  name: string;
  value?: string;
  options: [string, string][];
  any?: string;
}) {
  return (
    <div>
      <label htmlFor={`f-${name}`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ''} className={control}>
        {any ? <option value="">{any}</option> : null}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A plain GET form: the filters live in the URL, so results can be linked and work without JavaScript. */
export function KeyFilters({ values, accountName }: { values: Record<string, string | undefined>; accountName?: string | null }) {
  return (
    <form
      method="get"
      action="/admin/keys"
      role="search"
      aria-label="Filter keys"
      className="mt-6 rounded-xl border border-slate-200 bg-white p-4"
    >
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <div className="col-span-2">
          <label htmlFor="f-q" className="block text-sm font-medium text-slate-800">
            Search
          </label>
          <input
            id="f-q"
            name="q"
            type="search"
            defaultValue={values.q ?? ''}
            maxLength={100}
            placeholder="Key name, API key, account or owner email"
            aria-describedby="f-q-hint"
            className={control}
          />
          <p id="f-q-hint" className="mt-1 text-xs text-slate-600">
            Matches the beginning of each.
          </p>
        </div>
        <Select
          label="Status"
          name="status"
          value={values.status}
          any="Any status"
          options={KEY_STATES.map((s) => [s, KEY_STATE_LABELS[s]])}
        />
        <Select
          label="Permission"
          name="permission"
          value={values.permission}
          any="Any permission"
          options={PERMISSIONS.map((p) => [p, PERMISSION_LABELS[p]])}
        />
        <Select
          label="Account type"
          name="type"
          value={values.type}
          any="Any type"
          options={ACCOUNT_TYPES.map((t) => [t, ACCOUNT_TYPE_LABELS[t]])}
        />
        <Select
          label="Unused access"
          name="unused"
          value={values.unused}
          any="Any key"
          options={[['money', 'Has unused money permissions']]}
        />
        <Select label="Sort by" name="sort" value={values.sort} options={KEY_SORTS.map((s) => [s, KEY_SORT_LABELS[s]])} />
        <Select
          label="Order"
          name="dir"
          value={values.dir}
          options={[
            ['desc', 'Newest first'],
            ['asc', 'Oldest first'],
          ]}
        />
      </div>
      {values.account ? <input type="hidden" name="account" value={values.account} /> : null}
      <div className="mt-4 flex items-center justify-between gap-4">
        <p className="text-sm text-slate-700">
          {values.account ? (
            <>
              Only keys of account <strong>{accountName ?? values.account}</strong> ·{' '}
              <Link href="/admin/keys" className="text-brand underline">
                all accounts
              </Link>
            </>
          ) : null}
        </p>
        <div className="flex gap-3">
          <Link
            href="/admin/keys"
            className="inline-flex items-center rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
          >
            Reset
          </Link>
          <button
            type="submit"
            className="inline-flex items-center rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white hover:bg-brand-dark"
          >
            Apply
          </button>
        </div>
      </div>
    </form>
  );
}
