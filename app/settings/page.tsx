import { redirect } from 'next/navigation';
import { requireUser } from '@/lib/web/auth';

/** Where a signed-in person lands (sign-in's default): administrators at the console, others at their profile. */
export default async function SettingsIndex() {
  const user = await requireUser();
  redirect(user.role === 'admin' ? '/admin' : '/settings/profile');
}
