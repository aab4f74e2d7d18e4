import type { Metadata } from 'next';
import Link from 'next/link';
import { CodeDelivery, codeExpiry, CodeSentNotice } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { FormNotice } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { getDb } from '@/lib/platform/database';
import { pipelinedReads } from '@/db/client';
import { ownerAccess } from '@/lib/web/auth';
import { notificationSettingsOf, pendingSecondEmail } from '@/lib/identity/notification-settings';
import { OwnerOnly } from '../api-keys/owner-only';
import { confirmSecondEmailCode, removeSecondAddress, resendSecondEmail } from './actions';
import { RemindersForm } from './reminders-form';
import { SecondEmailForm } from './second-email-form';
import { ownEntry } from '@/lib/platform/own-entry';

export const metadata: Metadata = { title: 'Notifications' };

const PAGE = '/settings/notifications';

const SAVED: Record<string, string> = {
  reminders: 'Your reminder choice is saved.',
  address: 'Second address confirmed: it now gets your API key emails too.',
  removed: 'Second address removed.',
};

function Badge({ children, tone }: { children: React.ReactNode; tone: 'on' | 'off' }) {
  const colours = tone === 'on' ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-200 text-slate-700';
  return <span className={`ml-2 rounded-full px-2 py-0.5 text-xs font-semibold ${colours}`}>{children}</span>;
}

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<{ saved?: string; resent?: string; change?: string }>;
}) {
  const access = await ownerAccess(PAGE);
  if (!access.ok) return <OwnerOnly user={access.user} title="Notifications" />;
  const { user } = access.owner;
  const params = await searchParams;
  const [settings, pending] = await pipelinedReads(getDb(), (reads) =>
    Promise.all([notificationSettingsOf(reads, user.id), params.change ? null : pendingSecondEmail(reads, user.id)]),
  );
  const changing = Boolean(params.change) || !settings.secondEmail;

  return (
    <section className="max-w-2xl">
      <h1 className="text-2xl font-semibold">Notifications</h1>
      <p className="mt-1 text-sm text-slate-600">What Keydesk emails you about your account&apos;s API keys, and where.</p>
      <div className="mt-4">
        <FormNotice message={ownEntry(SAVED, params.saved)} />
      </div>

      <h2 className="mt-6 text-lg font-semibold">
        Security emails <Badge tone="on">Always on</Badge>
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Every change to your API keys, your two-factor authentication, your password and your sessions is emailed to{' '}
        <strong className="break-words">{user.email}</strong>
        {settings.secondEmail ? (
          <>
            {' '}
            (key changes also to <strong className="break-words">{settings.secondEmail}</strong>)
          </>
        ) : null}
        . They cannot be turned off: they are how you learn of a change you did not make.
      </p>

      <h2 className="mt-8 text-lg font-semibold">
        Key reminders <Badge tone={settings.remindersEnabled ? 'on' : 'off'}>{settings.remindersEnabled ? 'On' : 'Off'}</Badge>
      </h2>
      <p className="mt-1 mb-4 text-sm text-slate-700">
        An email 7 days and 1 day before a key expires, one when it has expired, and one when a key created 7 days ago has never been
        activated.
      </p>
      <RemindersForm enabled={settings.remindersEnabled} />

      <h2 className="mt-8 text-lg font-semibold">Second address for key emails</h2>
      <p className="mt-1 mb-4 text-sm text-slate-700">
        Another address, such as a team inbox, that also gets the security emails and reminders about your account&apos;s API keys. It gets
        nothing until you confirm it with a code we send to it.
      </p>
      {settings.secondEmail && !pending && !params.change ? (
        <div className="flex flex-wrap items-center justify-between gap-4 rounded-xl border border-slate-200 bg-white px-5 py-4">
          <p className="min-w-0 text-sm">
            <strong className="break-words">{settings.secondEmail}</strong>
            <Badge tone="on">Confirmed</Badge>
          </p>
          <div className="flex flex-wrap gap-3">
            <Link href={`${PAGE}?change=1`} className="self-center text-sm text-brand underline">
              Change address
            </Link>
            <form action={removeSecondAddress}>
              <SubmitButton variant="secondary">Remove</SubmitButton>
            </form>
          </div>
        </div>
      ) : pending ? (
        <div>
          <CodeSentNotice delivery={pending}>
            We sent a 6-digit code to <strong className="break-words">{pending.destination}</strong>. Enter it to confirm the address.
            {settings.secondEmail ? ` Until then, key emails keep going to ${settings.secondEmail}.` : ''}
          </CodeSentNotice>
          <CodeForm
            action={confirmSecondEmailCode}
            label="Code from that address"
            submitLabel="Confirm address"
            expiry={codeExpiry(pending)}
          />
          <CodeDelivery delivery={pending} resendAction={resendSecondEmail} resent={params.resent === '1'} />
          <Link className="mt-4 inline-block text-sm text-brand underline" href={`${PAGE}?change=1`}>
            Use a different address
          </Link>
        </div>
      ) : changing ? (
        <div>
          <SecondEmailForm label={settings.secondEmail ? 'New second address' : 'Second address'} />
          {settings.secondEmail ? (
            <Link className="mt-4 inline-block text-sm text-brand underline" href={PAGE}>
              Keep {settings.secondEmail}
            </Link>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
