import type { Metadata } from 'next';
import Link from 'next/link';
import { CodeDelivery, codeExpiry, CodeSentNotice } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { getDb } from '@/lib/platform/database';
import { requireUser } from '@/lib/web/auth';
import { currentChallenge } from '@/lib/second-factor/challenges';
import { confirmDisable, resendDisableCode } from '../actions';

export const metadata: Metadata = { title: 'Turn off two-factor authentication' };

export default async function DisableTwoFactorPage() {
  const user = await requireUser('/settings/security');
  const pending = await currentChallenge(getDb(), { userId: user.id, purpose: 'two_factor_disable', subjectId: null });
  return (
    <section className="max-w-xl">
      <h1 className="text-2xl font-semibold">Turn off {pending?.method === 'sms' ? 'SMS' : 'authenticator app'}</h1>
      {!pending ? (
        <p className="mt-4">
          Nothing is waiting to be turned off.{' '}
          <Link className="text-brand underline" href="/settings/security">
            Back to Security
          </Link>
        </p>
      ) : (
        <div className="mt-4">
          {pending.method === 'sms' ? (
            <CodeSentNotice delivery={pending}>Enter the code we sent by SMS to confirm.</CodeSentNotice>
          ) : (
            <p className="mb-4 text-sm text-slate-700">Enter a code from your authenticator app to confirm.</p>
          )}
          <CodeForm action={confirmDisable} submitLabel="Turn off" expiry={codeExpiry(pending)} />
          {pending.method === 'sms' ? <CodeDelivery delivery={pending} resendAction={resendDisableCode} /> : null}
          <Link className="mt-4 inline-block text-sm text-brand underline" href="/settings/security">
            Cancel
          </Link>
        </div>
      )}
    </section>
  );
}
