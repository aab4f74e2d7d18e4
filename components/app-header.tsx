import { BrandLink, HeaderLink } from '@/components/brand';
import { SubmitButton } from '@/components/submit-button';
import { ThemeSwitch } from '@/components/theme-switch';
import type { UserSummary } from '@/db/queries/users';
import { ACCOUNT_TYPE_LABELS } from '@/lib/admin/key-list';
import { outboxEnabled } from '@/lib/messaging/outbox';
import { currentTheme } from '@/lib/web/theme';
import { signOut } from '@/app/settings/actions';
import { chooseTheme } from '@/app/theme-actions';

/**
 * The header of the account pages (settings, and the demo outbox): the mark, the kind of account
 * this person is in, their links and the theme switch. Without a signed-in person (half-way
 * through signing in) only the mark and the theme switch.
 */
export async function AppHeader({ user }: { user: UserSummary | null }) {
  const theme = <ThemeSwitch current={await currentTheme()} action={chooseTheme} />;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
        {/* The kind of account this person is in: not "Prime Liquidity" for everyone. */}
        <BrandLink
          href={user ? '/settings' : '/sign-in'}
          context={user?.membership ? ACCOUNT_TYPE_LABELS[user.membership.accountType] : undefined}
        />
        {user ? (
          <div className="flex flex-wrap items-center gap-x-2 gap-y-2 text-sm">
            <nav aria-label="Keydesk" className="flex flex-wrap items-center gap-x-1">
              {user.role === 'admin' ? <HeaderLink href="/admin">Admin</HeaderLink> : null}
              <HeaderLink href="/docs/api">API docs</HeaderLink>
              {outboxEnabled() ? <HeaderLink href="/dev/outbox">Outbox</HeaderLink> : null}
            </nav>
            {theme}
            <span className="px-2 text-slate-600">{user.email}</span>
            <form action={signOut}>
              <SubmitButton variant="secondary">Sign out</SubmitButton>
            </form>
          </div>
        ) : (
          <div className="text-sm">{theme}</div>
        )}
      </div>
    </header>
  );
}
