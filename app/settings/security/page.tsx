import type { Metadata } from 'next';
import { ButtonLink } from '@/components/button-link';
import { SubmitButton } from '@/components/submit-button';
import { currentSessionId, requireUser } from '@/lib/web/auth';
import { getDb } from '@/lib/platform/database';
import { listSessions } from '@/lib/identity/sessions';
import { maskDestination } from '@/lib/messaging/outbox';
import { safeReturnPath } from '@/lib/identity/return-path';
import { ADMIN_TWO_FACTOR_REQUIRED } from '@/lib/identity/step-up';
import { beginTotpSetup, beginTwoFactorDisable } from './actions';
import { signOutAllSessions } from './password-actions';
import { PasswordForm } from './password-form';
import { SessionList } from './session-list';
import { FormNotice } from '@/components/field';
import { ownEntry } from '@/lib/platform/own-entry';

export const metadata: Metadata = { title: 'Security' };

function MethodRow({ title, description, on, children }: { title: string; description: string; on: boolean; children: React.ReactNode }) {
  return (
    <li className="flex items-center justify-between gap-4 px-5 py-4">
      <div>
        <h3 className="font-medium">
          {title}{' '}
          <span
            className={`ml-2 rounded-full px-2 py-0.5 text-xs font-semibold ${on ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-200 text-slate-700'}`}
          >
            {on ? 'On' : 'Off'}
          </span>
        </h3>
        <p className="text-sm text-slate-600">{description}</p>
      </div>
      {children}
    </li>
  );
}

const NOTICES: Record<string, string> = {
  'session-ended': 'The session was ended: that browser is signed out at its next request.',
  'others-ended': 'Every other session was ended: those browsers are signed out at their next request.',
  'locked-down': 'Your other browsers were signed out. Change your password if you have not yet.',
};

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ returnTo?: string; notice?: string }> }) {
  const user = await requireUser('/settings/security');
  const { notice } = await searchParams;
  const back = (await searchParams).returnTo;
  const returnTo = back ? safeReturnPath(back) : '';
  const query = returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : '';
  return (
    <section>
      <h1 className="text-2xl font-semibold">Security</h1>
      {ownEntry(NOTICES, notice) ? (
        <div className="mt-4">
          <FormNotice message={ownEntry(NOTICES, notice)} />
        </div>
      ) : null}
      <h2 className="mt-6 text-lg font-semibold">Two-factor authentication</h2>
      <p className="text-sm text-slate-600">A second factor is asked for at sign-in and to confirm API key changes.</p>
      {user.role === 'admin' && !user.hasSms && !user.hasTotp ? (
        <p role="alert" className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {ADMIN_TWO_FACTOR_REQUIRED}
        </p>
      ) : null}
      {returnTo ? <p className="mt-2 text-sm text-slate-700">Turn on a method below; you will be taken back afterwards.</p> : null}
      <ul className="mt-4 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
        <MethodRow title="Authenticator app" description="Codes from an app such as Google Authenticator or 1Password." on={user.hasTotp}>
          {user.hasTotp ? (
            <form action={beginTwoFactorDisable}>
              <input type="hidden" name="method" value="totp" />
              <SubmitButton variant="secondary">Turn off authenticator app</SubmitButton>
            </form>
          ) : (
            <form action={beginTotpSetup}>
              <input type="hidden" name="returnTo" value={returnTo} />
              <SubmitButton>Set up authenticator app</SubmitButton>
            </form>
          )}
        </MethodRow>
        <MethodRow
          title="SMS"
          description={
            user.hasSms && user.phone ? `Codes by text message to ${maskDestination(user.phone)}.` : 'Codes by text message to your phone.'
          }
          on={user.hasSms}
        >
          {user.hasSms ? (
            <form action={beginTwoFactorDisable}>
              <input type="hidden" name="method" value="sms" />
              <SubmitButton variant="secondary">Turn off SMS</SubmitButton>
            </form>
          ) : (
            <ButtonLink href={`/settings/security/sms${query}`}>Set up SMS</ButtonLink>
          )}
        </MethodRow>
      </ul>
      <h2 className="mt-10 text-lg font-semibold">Password</h2>
      <p className="mb-4 text-sm text-slate-600">Changing it signs out your other sessions.</p>
      <PasswordForm />
      <SessionList sessions={await listSessions(getDb(), user.id, (await currentSessionId()) ?? '')} />
      <form action={signOutAllSessions} className="mt-4">
        <SubmitButton variant="secondary">Sign out everywhere</SubmitButton>
      </form>
    </section>
  );
}
