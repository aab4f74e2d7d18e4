import { redirect } from 'next/navigation';
import { getCurrentUser, managesApiKeys } from '@/lib/web/auth';

/** Each person's start page: API keys for the owners who manage them, the admin console for admins, else their profile. */
export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect('/sign-in');
  redirect(managesApiKeys(user) ? '/settings/api-keys' : user.role === 'admin' ? '/admin' : '/settings/profile');
}
