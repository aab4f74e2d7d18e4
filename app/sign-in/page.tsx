import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/lib/web/auth';
import { safeReturnPath } from '@/lib/identity/return-path';
import { SignInForm } from './sign-in-form';
import { BrandLine } from '@/components/brand';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeReturnPath((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <>
      <main id="main" tabIndex={-1} className="mx-auto mt-16 max-w-sm rounded-xl bg-white p-8 shadow">
        <BrandLine />
        <h1 className="mt-3 text-2xl font-semibold">Sign in</h1>
        <div className="mt-6">
          <SignInForm callbackUrl={callbackUrl} />
        </div>
      </main>
      <footer className="mx-auto mt-4 max-w-sm text-center text-sm text-slate-600">
        <a href="/docs/api" className="text-brand-dark underline">
          API docs
        </a>
      </footer>
    </>
  );
}
