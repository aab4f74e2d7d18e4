import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/lib/web/auth';

export default async function Home() {
  redirect((await getCurrentUser()) ? '/settings/api-keys' : '/sign-in');
}
