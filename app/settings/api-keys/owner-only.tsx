import Link from 'next/link';
import type { UserSummary } from '@/db/queries/users';

/** Why this person cannot use API keys, and what they can do instead — in their own terms. */
function nextStep(user: UserSummary): React.ReactNode {
  const m = user.membership;
  if (user.role === 'admin') {
    return (
      <>
        You are signed in as a platform administrator: review every account&apos;s keys in the{' '}
        <Link href="/admin" className="text-brand-dark underline">
          admin console
        </Link>
        .
      </>
    );
  }
  if (!m) return 'Your sign-in does not belong to any account.';
  if (m.accountType !== 'prime') return `${m.accountName} is a standard account: API keys come with a Prime Liquidity account.`;
  return `You are a member of ${m.accountName}. Ask its owner to create or change API keys.`;
}

/**
 * What members, standard-account users and admins see instead of an owner's page, API Keys
 * Management or Notifications (reached by URL: the settings navigation does not offer them).
 */
export function OwnerOnly({ user, title = 'API Keys Management' }: { user: UserSummary; title?: string }) {
  return (
    <section>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div role="alert" className="mt-6 rounded-xl border border-amber-200 bg-amber-50 p-5 text-amber-900">
        <p className="font-semibold">{title} is available only to the owner of the Prime Liquidity account.</p>
        <p className="mt-1 text-sm">{nextStep(user)}</p>
      </div>
    </section>
  );
}
