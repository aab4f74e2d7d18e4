import type { Metadata } from 'next';
import Link from 'next/link';
import { CodeDelivery, codeExpiry, CodeSentNotice } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { getDb } from '@/lib/platform/database';
import { requireUser } from '@/lib/web/auth';
import { maskDestination } from '@/lib/messaging/outbox';
import { safeReturnPath } from '@/lib/identity/return-path';
import { currentChallenge } from '@/lib/second-factor/challenges';
import { confirmSmsSetup, resendSmsSetupCode } from '../actions';
import { PhoneForm } from './phone-form';
import { SetupCancel } from '../setup-cancel';

export const metadata: Metadata = { title: 'Set up SMS' };

export default async function SmsSetupPage({ searchParams }: { searchParams: Promise<{ returnTo?: string; change?: string }> }) {
  const user = await requireUser('/settings/security/sms');
  const params = await searchParams;
  const returnTo = params.returnTo ? safeReturnPath(params.returnTo) : '';
  const pending = params.change ? null : await currentChallenge(getDb(), { userId: user.id, purpose: 'sms_enrolment', subjectId: null });
  const query = returnTo ? `&returnTo=${encodeURIComponent(returnTo)}` : '';
  return (
    <section className="max-w-xl">
      <h1 className="text-2xl font-semibold">Set up SMS</h1>
      {user.hasSms ? (
        <p className="mt-4">
          SMS is already on.{' '}
          <Link className="text-brand underline" href="/settings/security">
            Back to Security
          </Link>
        </p>
      ) : pending ? (
        <div className="mt-4">
          <CodeSentNotice delivery={pending}>We sent a 6-digit code to {maskDestination(pending.destination ?? '')}.</CodeSentNotice>
          <CodeForm action={confirmSmsSetup} hidden={{ returnTo }} submitLabel="Turn on SMS" expiry={codeExpiry(pending)} />
          <CodeDelivery delivery={pending} resendAction={resendSmsSetupCode} hidden={{ returnTo }} />
          <Link className="mt-4 inline-block text-sm text-brand underline" href={`/settings/security/sms?change=1${query}`}>
            Use a different number
          </Link>
        </div>
      ) : (
        <div className="mt-4">
          <PhoneForm returnTo={returnTo} />
        </div>
      )}
      {user.hasSms ? null : <SetupCancel returnTo={returnTo} />}
    </section>
  );
}
