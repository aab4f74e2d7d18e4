'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { requireUser } from '@/lib/web/auth';
import { changePassword, changePasswordSchema, signOutEverywhere } from '@/lib/identity/credentials';
import { firstErrors } from '@/lib/web/form-schemas';
import { requestContext } from '@/lib/web/request-context';
import { endSession, readSessionClaims, startSession } from '@/lib/web/session';
import { assertPostedForm } from '@/lib/web/form-action';

export async function changeOwnPassword(_: ActionState, form: FormData): Promise<ActionState> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  const parsed = changePasswordSchema.safeParse({
    currentPassword: form.get('currentPassword'),
    newPassword: form.get('newPassword'),
    confirmPassword: form.get('confirmPassword'),
  });
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error) };
  const claims = await readSessionClaims();
  if (!claims) return { status: 'error', message: 'Your session has ended. Sign in again.' };
  const result = await changePassword(getDb(), user, parsed.data, await requestContext(), { keepSessionId: claims.sessionId });
  if (!result.ok) return { status: 'error', fieldErrors: result.fieldErrors };
  await startSession({ userId: user.id, tokenVersion: result.tokenVersion, sessionId: claims.sessionId });
  return { status: 'ok', message: 'Password changed. Your other sessions have been signed out.' };
}

export async function signOutAllSessions(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  await signOutEverywhere(getDb(), user, await requestContext());
  await endSession();
  redirect('/sign-in');
}
