import Link from 'next/link';
import { ThemeSwitch } from '@/components/theme-switch';
import { currentTheme } from '@/lib/web/theme';
import { chooseTheme } from '../theme-actions';
import { SubmitButton } from '@/components/submit-button';
import { getCurrentUser, managesApiKeys } from '@/lib/web/auth';
import { ACCOUNT_TYPE_LABELS } from '@/lib/admin/key-list';
import { outboxEnabled } from '@/lib/messaging/outbox';
import { signOut } from './actions';
import { SettingsNav } from './settings-nav';

// Every page below checks the session itself; the layout only draws the frame.
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
          <Link href="/settings" className="font-semibold text-slate-900">
            Keydesk
            {/* The kind of account this person is in: not "Prime Liquidity" for everyone. */}
            {user?.membership ? (
              <span className="font-normal text-slate-600"> · {ACCOUNT_TYPE_LABELS[user.membership.accountType]}</span>
            ) : null}
          </Link>
          {user ? (
            <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
              {user.role === 'admin' ? (
                <Link href="/admin" className="text-brand underline">
                  Admin
                </Link>
              ) : null}
              <Link href="/docs/api" className="text-brand underline">
                API docs
              </Link>
              {outboxEnabled() ? (
                <Link href="/dev/outbox" className="text-brand underline">
                  Outbox
                </Link>
              ) : null}
              <ThemeSwitch current={await currentTheme()} action={chooseTheme} />
              <span className="text-slate-600">{user.email}</span>
              <form action={signOut}>
                <SubmitButton variant="secondary">Sign out</SubmitButton>
              </form>
            </div>
          ) : null}
        </div>
      </header>
      <div className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row md:gap-8 md:py-8">
        <SettingsNav apiKeys={user !== null && managesApiKeys(user)} />
        <main id="main" tabIndex={-1} className="min-w-0 flex-1">
          {children}
        </main>
      </div>
    </div>
  );
}
