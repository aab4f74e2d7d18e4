'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { audit } from '@/lib/platform/audit';
import { getCurrentUser } from '@/lib/web/auth';
import { requestContext } from '@/lib/web/request-context';
import { endSession } from '@/lib/web/session';

export async function signOut(): Promise<void> {
  const user = await getCurrentUser();
  if (user) await audit(getDb(), await requestContext(), { action: 'sign_out', actorUserId: user.id });
  await endSession();
  redirect('/sign-in');
}
