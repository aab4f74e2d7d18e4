import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { CodeDelivery, codeExpiry, SecondFactorPrompt } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { SubmitButton } from '@/components/submit-button';
import { MethodSwitch } from '@/components/second-factor-method';
import { getDb } from '@/lib/platform/database';
import { maskDestination } from '@/lib/messaging/outbox';
import { pendingStepUp, safeAdminPath } from '@/lib/identity/step-up';
import { ADMIN_TWO_FACTOR_SETUP_PATH, adminAccess } from '@/lib/web/auth';
import { chooseStepUpMethodAction, confirmStepUpAction, resendStepUpAction } from './actions';

export const metadata: Metadata = { title: 'Admin · Confirm it’s you' };

/** Cancel goes back to the page the step was asked from; a suspend or revoke form would only ask again. */
const cancelHref = (next: string) => next.replace(/^(\/admin\/keys\/[^/?]+)\/(suspend|revoke)$/, '$1');

/**
 * /admin/step-up?next=<admin page>: the second factor again, for a session that has not passed it
 * in the last 10 minutes. Plain forms: each step (choose SMS, resend, enter the code) posts and
 * comes back here, and the code goes back to `next`.
 */
export default async function StepUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; resent?: string }> }) {
  const access = await adminAccess();
  if (access.kind !== 'ok') redirect(ADMIN_TWO_FACTOR_SETUP_PATH);
  const params = await searchParams;
  const next = safeAdminPath(params.next);
  if (access.fresh) redirect(next);
  const admin = access.admin;
  const pending = await pendingStepUp(getDb(), admin);
  // An authenticator needs nothing sent, so it is the default; SMS starts with "Text me a code".
  const method = pending?.method ?? (admin.hasTotp ? 'totp' : null);
  return (
    <section className="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-6 sm:p-8">
      <h1 className="text-2xl font-semibold">Confirm it’s you</h1>
      <p className="mt-2 text-sm text-slate-700">
        Suspending, revoking, lifting and exporting the audit log need your second factor from the last 10 minutes. Once confirmed, you are
        not asked again for 10 minutes.
      </p>
      <div className="mt-6">
        {method === 'totp' ? (
          <>
            <p className="mb-4 text-sm text-slate-700">Enter the 6-digit code from your authenticator app.</p>
            <CodeForm action={confirmStepUpAction} hidden={{ next }} submitLabel="Confirm" />
          </>
        ) : method === 'sms' && pending ? (
          <>
            <SecondFactorPrompt challenge={pending} />
            <CodeForm action={confirmStepUpAction} hidden={{ next }} submitLabel="Confirm" expiry={codeExpiry(pending)} />
            <CodeDelivery delivery={pending} resendAction={resendStepUpAction} resent={params.resent === '1'} hidden={{ next }} />
          </>
        ) : (
          <form action={chooseStepUpMethodAction}>
            <input type="hidden" name="method" value="sms" />
            <input type="hidden" name="next" value={next} />
            <p className="mb-4 text-sm text-slate-700">We will send a 6-digit code by SMS to {maskDestination(admin.phone ?? '')}.</p>
            <SubmitButton>Text me a code</SubmitButton>
          </form>
        )}
        {method && admin.hasSms && admin.hasTotp ? (
          <MethodSwitch action={chooseStepUpMethodAction} hidden={{ next }} current={method} />
        ) : null}
      </div>
      <Link className="mt-6 inline-block text-sm text-brand underline" href={cancelHref(next)}>
        Cancel
      </Link>
    </section>
  );
}
