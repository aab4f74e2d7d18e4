'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { audit } from '@/lib/audit';
import { getCurrentUser } from '@/lib/auth';
import { requestContext } from '@/lib/request';
import { endSession } from '@/lib/session';

export async function signOut(): Promise<void> {
  const user = await getCurrentUser();
  if (user) await audit(getDb(), await requestContext(), { action: 'sign_out', actorUserId: user.id });
  await endSession();
  redirect('/sign-in');
}
