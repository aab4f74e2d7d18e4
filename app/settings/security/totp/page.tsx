import type { Metadata } from 'next';
import Link from 'next/link';
import QRCode from 'qrcode';
import { CodeForm } from '@/components/code-form';
import { SubmitButton } from '@/components/submit-button';
import { getDb } from '@/lib/platform/database';
import { requireUser } from '@/lib/web/auth';
import { safeReturnPath } from '@/lib/identity/return-path';
import { pendingTotpSetup } from '@/lib/identity/two-factor';
import { beginTotpSetup, confirmTotpSetup } from '../actions';
import { SetupCancel } from '../setup-cancel';

export const metadata: Metadata = { title: 'Set up an authenticator app' };

export default async function TotpSetupPage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const user = await requireUser('/settings/security/totp');
  const back = (await searchParams).returnTo;
  const returnTo = back ? safeReturnPath(back) : '';
  const setup = await pendingTotpSetup(getDb(), user);
  const qrCode = setup && (await QRCode.toDataURL(setup.uri, { margin: 1, width: 200 }));
  return (
    <section className="max-w-xl">
      <h1 className="text-2xl font-semibold">Set up an authenticator app</h1>
      {user.hasTotp ? (
        <p className="mt-4">
          Your authenticator app is already on.{' '}
          <Link className="text-brand underline" href="/settings/security">
            Back to Security
          </Link>
        </p>
      ) : !setup ? (
        <form action={beginTotpSetup} className="mt-4">
          <input type="hidden" name="returnTo" value={returnTo} />
          <SubmitButton>Start setup</SubmitButton>
        </form>
      ) : (
        <div className="mt-4 space-y-5">
          <p className="text-sm text-slate-700">1. Scan this QR code with your authenticator app, or type the key below into it.</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data URL, generated per user */}
          <img src={qrCode ?? undefined} width={200} height={200} alt="QR code for your authenticator app" />
          <dl>
            <dt className="text-sm font-medium text-slate-800">Manual key</dt>
            <dd className="mt-1">
              <code className="block rounded bg-slate-100 px-3 py-2 font-mono text-sm break-all" data-testid="manual-key">
                {setup.secret.match(/.{1,4}/g)?.join(' ')}
              </code>
            </dd>
          </dl>
          <p className="text-sm text-slate-700">2. Enter the 6-digit code the app shows to turn it on.</p>
          <CodeForm action={confirmTotpSetup} hidden={{ returnTo }} label="Code from your app" submitLabel="Turn on" />
        </div>
      )}
      {user.hasTotp ? null : <SetupCancel returnTo={returnTo} />}
    </section>
  );
}
