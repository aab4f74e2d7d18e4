import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { CodeDelivery, codeExpiry, SecondFactorPrompt } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { MethodSwitch } from '@/components/second-factor-method';
import { getDb } from '@/lib/platform/database';
import { findSignInStep } from '@/lib/identity/sign-in';
import { SIGN_IN_COOKIE } from '../cookie';
import { BrandLine } from '@/components/brand';
import { resendSignIn, switchSignInMethod, verifySignInCode } from './actions';

export const metadata: Metadata = { title: 'Two-factor authentication' };

export default async function VerifySignInPage({ searchParams }: { searchParams: Promise<{ resent?: string }> }) {
  const step = await findSignInStep(getDb(), (await cookies()).get(SIGN_IN_COOKIE)?.value);
  const { resent } = await searchParams;
  return (
    <main id="main" tabIndex={-1} className="mx-auto mt-16 max-w-sm rounded-xl bg-white p-8 shadow">
      <BrandLine />
      <h1 className="mt-3 text-2xl font-semibold">Two-factor authentication</h1>
      {!step?.challenge ? (
        <p className="mt-4 text-slate-700">
          This sign-in has expired.{' '}
          <Link className="text-brand underline" href="/sign-in">
            Sign in again
          </Link>
        </p>
      ) : (
        <div className="mt-4">
          <SecondFactorPrompt challenge={step.challenge} />
          <CodeForm action={verifySignInCode} submitLabel="Verify" expiry={codeExpiry(step.challenge)} />
          {step.challenge.method === 'sms' ? (
            <CodeDelivery delivery={step.challenge} resendAction={resendSignIn} resent={resent === '1'} />
          ) : null}
          {step.methods.sms && step.methods.totp ? <MethodSwitch action={switchSignInMethod} current={step.challenge.method} /> : null}
          {/* A way back: another account, or this one signed in again from the start. */}
          <p className="mt-6 border-t border-slate-200 pt-4 text-sm">
            <Link className="font-medium text-brand-dark underline" href="/sign-in">
              Cancel and go back to sign-in
            </Link>
          </p>
        </div>
      )}
    </main>
  );
}
