import Link from 'next/link';
import { auditLabel } from '@/lib/admin/audit-labels';

const control = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm';

function Field({
  label,
  name,
  value,
  ...props
}: { label: string; name: string; value?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div>
      <label htmlFor={`a-${name}`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input id={`a-${name}`} name={name} defaultValue={value ?? ''} className={control} {...props} />
    </div>
  );
}

/** GET form: the filters are the URL, shared with the CSV export link. */
export function AuditFilters({
  values,
  actions,
  accountName,
}: {
  values: Record<string, string | undefined>;
  actions: string[];
  accountName?: string | null;
}) {
  const known = values.action && !actions.includes(values.action) ? [values.action, ...actions] : actions;
  return (
    <form
      method="get"
      action="/admin/audit"
      role="search"
      aria-label="Filter audit events"
      className="mt-6 rounded-xl border border-slate-200 bg-white p-4"
    >
      <div className="grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-6">
        <Field label="Account id" name="account" value={values.account} placeholder="uuid" autoComplete="off" spellCheck={false} />
        <Field label="User email" name="user" value={values.user} type="email" autoComplete="off" />
        <Field label="Key id" name="key" value={values.key} placeholder="uuid" autoComplete="off" spellCheck={false} />
        <div>
          <label htmlFor="a-action" className="block text-sm font-medium text-slate-800">
            Action
          </label>
          <select id="a-action" name="action" defaultValue={values.action ?? ''} className={control}>
            <option value="">Any action</option>
            {known.map((a) => (
              <option key={a} value={a}>
                {auditLabel(a)}
              </option>
            ))}
          </select>
        </div>
        <Field label="From (UTC)" name="from" value={values.from} type="date" />
        <Field label="To (UTC)" name="to" value={values.to} type="date" />
      </div>
      <div className="mt-4 flex items-center justify-between gap-4">
        <p className="text-sm text-slate-700">
          {values.account && accountName ? (
            <>
              Account: <strong>{accountName}</strong>
            </>
          ) : null}
        </p>
        <div className="flex gap-3">
          <Link
            href="/admin/audit"
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
