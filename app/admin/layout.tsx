import { BrandLink, HeaderLink } from '@/components/brand';
import { ThemeSwitch } from '@/components/theme-switch';
import { currentTheme } from '@/lib/web/theme';
import { chooseTheme } from '../theme-actions';
import { SubmitButton } from '@/components/submit-button';
import { requireAdmin } from '@/lib/web/auth';
import { signOut } from '../settings/actions';
import { AdminNav } from './admin-nav';

/**
 * The admin frame. It checks too, so nobody else ever sees even the frame, but every page and
 * action below checks again on its own: a layout is not re-run on every navigation.
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const admin = await requireAdmin();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-[1400px] flex-wrap items-center justify-between gap-x-6 gap-y-2 px-6 py-3">
          <div className="flex flex-wrap items-center gap-x-8 gap-y-2">
            <BrandLink href="/admin" context="Admin" />
            <AdminNav />
          </div>
          <div className="flex flex-wrap items-center gap-4 text-sm">
            <HeaderLink href="/settings">Settings</HeaderLink>
            <ThemeSwitch current={await currentTheme()} action={chooseTheme} />
            <span className="text-slate-600">{admin.email}</span>
            <form action={signOut}>
              <SubmitButton variant="secondary">Sign out</SubmitButton>
            </form>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-[1400px] px-6 py-8">
        {children}
      </main>
    </div>
  );
}
