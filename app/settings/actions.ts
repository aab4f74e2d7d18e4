'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { closeSession } from '@/lib/identity/sessions';
import { getCurrentUser } from '@/lib/web/auth';
import { requestContext } from '@/lib/web/request-context';
import { endSession, readSessionClaims } from '@/lib/web/session';
import { assertPostedForm } from '@/lib/web/form-action';

export async function signOut(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await getCurrentUser();
  const claims = await readSessionClaims();
  if (user && claims) await closeSession(getDb(), user.id, claims.sessionId, await requestContext());
  await endSession();
  redirect('/sign-in');
}
