'use server';

import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { endOtherSessions, endSession } from '@/lib/identity/sessions';
import { currentSessionId, requireUser } from '@/lib/web/auth';
import { uuidSchema } from '@/lib/web/form-schemas';
import { requestContext } from '@/lib/web/request-context';
import { assertPostedForm } from '@/lib/web/form-action';

/**
 * Ending sessions from Settings › Security. No second factor is asked (ending a session only
 * takes access away), but the session must be the caller's own: anyone else's id is not found.
 */

export async function endSessionAction(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  const sessionId = uuidSchema.safeParse(form.get('sessionId'));
  if (!sessionId.success) notFound();
  const result = await endSession(getDb(), user.id, sessionId.data, await requestContext());
  if (!result.ok) notFound();
  // Ending this very browser's session is signing out.
  redirect(sessionId.data === (await currentSessionId()) ? '/sign-in' : '/settings/security?notice=session-ended');
}

export async function endOtherSessionsAction(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  const sessionId = await currentSessionId();
  if (!sessionId) redirect('/sign-in');
  await endOtherSessions(getDb(), user.id, sessionId, await requestContext());
  redirect('/settings/security?notice=others-ended');
}
