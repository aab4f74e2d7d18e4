import { AppHeader } from '@/components/app-header';
import { getCurrentUser, managesApiKeys } from '@/lib/web/auth';
import { SettingsNav } from './settings-nav';

// Every page below checks the session itself; the layout only draws the frame.
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  return (
    <div className="min-h-screen">
      <AppHeader user={user} />
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row md:gap-8 md:py-8">
        <SettingsNav apiKeys={user !== null && managesApiKeys(user)} />
        <main id="main" tabIndex={-1} className="min-w-0 flex-1">
          {children}
        </main>
      </div>
    </div>
  );
}
