import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { listOutboxMessages } from '@/db/queries/outbox';
import { getCurrentUser } from '@/lib/web/auth';
import { outboxEnabled } from '@/lib/messaging/outbox';
import { findSignInStep } from '@/lib/identity/sign-in';
import { SIGN_IN_COOKIE } from '../../sign-in/cookie';
import { OutboxMessageView } from './message';
import { AppHeader } from '@/components/app-header';

export const metadata: Metadata = { title: 'Outbox' };
export const dynamic = 'force-dynamic';

/**
 * The demo's stand-in for a phone and a mailbox: the messages of whoever is using it — the
 * signed-in user, or the person half-way through an SMS sign-in — and nobody else's.
 */
export default async function OutboxPage() {
  if (!outboxEnabled()) notFound();
  const user = await getCurrentUser();
  const signingIn = user ? null : await findSignInStep(getDb(), (await cookies()).get(SIGN_IN_COOKIE)?.value);
  const userId = user?.id ?? signingIn?.userId;
  const messages = userId ? await listOutboxMessages(getDb(), userId) : [];
  return (
    <>
      <AppHeader user={user} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-3xl px-4 py-8 sm:px-6">
        <h1 className="text-2xl font-semibold">Outbox</h1>
        <p className="mt-1 text-sm text-slate-600">
          Messages are not really sent in this setup. Your SMS and email messages appear here, newest first; an email shows as its HTML
          part, then its plain-text part.
        </p>
        {!userId ? (
          <p className="mt-6">
            Sign in to see your messages.{' '}
            <Link className="text-brand underline" href="/sign-in">
              Sign in
            </Link>
          </p>
        ) : messages.length === 0 ? (
          <p className="mt-6 text-slate-700">No messages yet.</p>
        ) : (
          <ol className="mt-6 space-y-3">
            {messages.map((m) => (
              <OutboxMessageView key={m.id} message={m} />
            ))}
          </ol>
        )}
        <p className="mt-8">
          <Link className="text-brand underline" href={user ? '/settings/api-keys' : '/sign-in/verify'}>
            Back
          </Link>
        </p>
      </main>
    </>
  );
}
