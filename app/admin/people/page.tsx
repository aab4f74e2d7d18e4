import type { Metadata } from 'next';
import Link from 'next/link';
import { FormNotice } from '@/components/field';
import { getDb } from '@/lib/platform/database';
import type { AdminPersonRow } from '@/db/queries/admin-people';
import { disablePersonPath, loadPeople, parsePeopleParams, PEOPLE_LIMIT } from '@/lib/admin/people-list';
import type { RawParams } from '@/lib/admin/search-params';
import { secondFactorLockState } from '@/lib/identity/second-factor-lock';
import { requireAdmin } from '@/lib/web/auth';
import { minute } from '../format';
import { ListTable } from '../list-table';
import { ParamErrors } from '../param-errors';
import { ButtonLink } from '@/components/button-link';
import { enableUserAction, liftSecondFactorLockAction } from './actions';
import { PersonButtonForm } from './lift-lock-form';
import { ownEntry } from '@/lib/platform/own-entry';

export const metadata: Metadata = { title: 'Admin · People' };

function SearchForm({ q, locked, disabled }: { q?: string; locked?: boolean; disabled?: boolean }) {
  return (
    <form method="get" action="/admin/people" role="search" aria-label="Search people" className="mt-6 flex flex-wrap items-end gap-4">
      <div className="w-full sm:w-80">
        <label htmlFor="people-q" className="block text-sm font-medium text-slate-800">
          Email starts with
        </label>
        <input
          id="people-q"
          name="q"
          type="search"
          maxLength={200}
          defaultValue={q ?? ''}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
        />
      </div>
      <label className="flex items-center gap-2 py-2 text-sm text-slate-800">
        <input type="checkbox" name="locked" value="1" defaultChecked={locked} className="h-4 w-4" />
        Only locked or paused second factors
      </label>
      <label className="flex items-center gap-2 py-2 text-sm text-slate-800">
        <input type="checkbox" name="disabled" value="1" defaultChecked={disabled} className="h-4 w-4" />
        Only disabled people
      </label>
      <button
        type="submit"
        className="inline-flex items-center rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white hover:bg-brand-dark"
      >
        Search
      </button>
    </form>
  );
}

function SecondFactorState({ person, now }: { person: AdminPersonRow; now: Date }) {
  const state = secondFactorLockState(
    { failures: person.secondFactorFailures, blockedUntil: person.secondFactorBlockedUntil, lockedAt: person.secondFactorLockedAt },
    now,
  );
  const methods = [person.hasTotp && 'Authenticator app', person.hasSms && 'SMS'].filter(Boolean).join(', ') || 'None';
  return (
    <>
      <span className="block">{methods}</span>
      {state.kind === 'locked' ? (
        <span className="mt-1 inline-block rounded-md bg-red-700 px-2 py-0.5 text-xs font-semibold text-white">
          Locked since {minute(state.since)}
        </span>
      ) : state.kind === 'paused' ? (
        <span className="mt-1 inline-block rounded-md bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">
          Paused until {minute(state.until)}
        </span>
      ) : null}
      {state.kind !== 'clear' ? (
        <span className="block text-xs text-slate-600">
          {state.failures} wrong {state.failures === 1 ? 'code' : 'codes'} in a row
        </span>
      ) : null}
    </>
  );
}

/** A disabled person: since when and why (as the admin who disabled them wrote it). */
function DisabledState({ person }: { person: AdminPersonRow }) {
  if (!person.disabledAt) return null;
  return (
    <>
      <span className="mt-1 inline-block rounded-md bg-red-700 px-2 py-0.5 text-xs font-semibold text-white">
        Disabled since {minute(person.disabledAt)}
      </span>
      <span className="mt-1 block text-xs text-slate-700">Reason: {person.disabledReason}</span>
    </>
  );
}

const NOTICES: Record<string, string> = {
  lifted: 'The lock is lifted: this person can use their second factor again.',
  disabled: 'This person is disabled: every session of theirs has ended, and they cannot sign in.',
  enabled: 'This person is enabled again: they can sign in.',
};

/**
 * People by email, with their second factor's state and whether they may sign in. A person whose second factor is locked (100
 * wrong codes in a row) or paused has a Lift lock button: after checking who is asking, outside
 * Keydesk, an admin unlocks it (with a fresh second factor of their own; audited). Anyone but
 * the admin asking can be disabled (with a reason, on its own step page) or enabled again.
 */
export default async function AdminPeoplePage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const admin = await requireAdmin();
  const parsed = parsePeopleParams(await searchParams);
  const heading = <h1 className="text-2xl font-semibold">People</h1>;
  if (!parsed.ok) {
    return (
      <section>
        {heading}
        <SearchForm q={parsed.values.q} />
        <ParamErrors errors={parsed.errors} resetHref="/admin/people" />
      </section>
    );
  }
  const { query } = parsed;
  const now = new Date();
  const { rows, more } = await loadPeople(getDb(), query, now);
  return (
    <section>
      {heading}
      <SearchForm q={query.q} locked={query.locked} disabled={query.disabled} />
      {ownEntry(NOTICES, parsed.notice) ? (
        <div className="mt-4">
          <FormNotice message={ownEntry(NOTICES, parsed.notice)} />
        </div>
      ) : null}
      <ListTable
        caption="People"
        empty={rows.length === 0 ? 'No people match' : null}
        columns={[{ label: 'Person' }, { label: 'Account' }, { label: 'Second factor' }]}
      >
        {rows.map((p) => {
          const lockable = p.secondFactorLockedAt !== null || (p.secondFactorBlockedUntil !== null && p.secondFactorBlockedUntil > now);
          return (
            <tr key={p.id}>
              <th scope="row" className="px-3 py-3 font-medium">
                <span className="block">{p.name}</span>
                <span className="block text-xs font-normal text-slate-600">{p.email}</span>
                {/* Under the name, so the state and its button stay in view on a narrow screen. */}
                <DisabledState person={p} />
                {p.id === admin.id ? null : (
                  <div className="mt-2 font-normal">
                    {p.disabledAt ? (
                      <PersonButtonForm action={enableUserAction} userId={p.id} email={p.email} label="Enable" />
                    ) : (
                      <ButtonLink href={disablePersonPath(p.id)} variant="secondary">
                        Disable<span className="sr-only"> {p.email}</span>
                      </ButtonLink>
                    )}
                  </div>
                )}
              </th>
              <td className="px-3 py-3">
                {p.role === 'admin' ? 'Platform admin' : p.accountName ? `${p.accountName} · ${p.membershipRole}` : 'No account'}
              </td>
              <td className="px-3 py-3">
                <SecondFactorState person={p} now={now} />
                {/* In the same cell, so the button stays in view on a narrow screen. */}
                {lockable && p.id !== admin.id ? (
                  <div className="mt-2">
                    <PersonButtonForm action={liftSecondFactorLockAction} userId={p.id} email={p.email} label="Lift lock" />
                  </div>
                ) : null}
              </td>
            </tr>
          );
        })}
      </ListTable>
      {more ? (
        <p className="mt-3 text-sm text-slate-600">
          Showing the first {PEOPLE_LIMIT}: type more of the email to narrow the search.{' '}
          <Link href="/admin/people?locked=1" className="text-brand underline">
            Only locked
          </Link>
        </p>
      ) : null}
    </section>
  );
}
