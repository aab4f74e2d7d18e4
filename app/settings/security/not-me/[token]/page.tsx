import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { formatUtc } from '@/lib/messaging/wording';
import { notMePath, readNotMeLink } from '@/lib/identity/not-me-links';
import { LINK_MESSAGES } from '@/lib/keys/lock-down';
import { requireUser } from '@/lib/web/auth';
import { LockDownExplainer, LockDownStep } from '../../../lock-down/lock-down-step';

export const metadata: Metadata = { title: 'This wasn’t me' };

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-6 sm:p-8">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="mt-4">{children}</div>
    </section>
  );
}

/**
 * /settings/security/not-me/<token>: the "This wasn't me" link of a security email. Signed out,
 * the person signs in and comes back here; another person's link (or a made-up one) is not found.
 */
export default async function NotMePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ resent?: string }>;
}) {
  const { token } = await params;
  const user = await requireUser(notMePath(encodeURIComponent(token)));
  const state = await readNotMeLink(getDb(), token, user.id);
  if (state.status === 'invalid') notFound();
  if (state.status !== 'valid') {
    return (
      <Card title={state.status === 'used' ? 'This link was already used' : 'This link has expired'}>
        <p className="text-sm text-slate-700">
          {LINK_MESSAGES[state.status]}
          {state.status === 'used' ? ` It was used at ${formatUtc(state.usedAt)}.` : null}
        </p>
        <p className="mt-4 text-sm text-slate-700">
          To deactivate all keys now, use <strong>Deactivate all keys</strong> in{' '}
          <Link href="/settings/api-keys" className="text-brand underline">
            API Keys Management
          </Link>
          ; to end sessions, see{' '}
          <Link href="/settings/security" className="text-brand underline">
            Security
          </Link>
          .
        </p>
      </Card>
    );
  }
  const owner = user.membership?.role === 'owner';
  return (
    <Card title="This wasn’t me">
      <p className="mb-4 text-sm text-slate-700">Confirm it’s you with a code to lock your account down:</p>
      <LockDownExplainer owner={owner} />
      <LockDownStep user={user} token={token} resent={(await searchParams).resent === '1'} cancelHref="/settings" />
    </Card>
  );
}
