'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { firstErrors, signInSchema } from '@/lib/web/form-schemas';
import { requestContext } from '@/lib/web/request-context';
import { safeReturnPath } from '@/lib/identity/return-path';
import { startSession } from '@/lib/web/session';
import { ADMIN_TWO_FACTOR_SETUP_PATH } from '@/lib/web/auth';
import { findUserSummary } from '@/db/queries/users';
import { beginSignIn, SIGN_IN_STEP_TTL_MS } from '@/lib/identity/sign-in';
import { SIGN_IN_COOKIE } from './cookie';
import { assertPostedForm } from '@/lib/web/form-action';

export async function signIn(_: ActionState, form: FormData): Promise<ActionState> {
  assertPostedForm(form);
  const parsed = signInSchema.safeParse({
    email: form.get('email'),
    password: form.get('password'),
    callbackUrl: form.get('callbackUrl') ?? undefined,
  });
  const email = typeof form.get('email') === 'string' ? String(form.get('email')) : '';
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error), values: { email } };
  const callbackUrl = safeReturnPath(parsed.data.callbackUrl);
  const result = await beginSignIn(getDb(), { ...parsed.data, callbackUrl }, await requestContext());
  if (result.kind === 'error') return { status: 'error', message: result.message, values: { email } };
  if (result.kind === 'second_factor') {
    (await cookies()).set(SIGN_IN_COOKIE, result.token, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: SIGN_IN_STEP_TTL_MS / 1000 });
    redirect('/sign-in/verify');
  }
  await startSession(result.claims);
  // Signed in without a second factor: an admin sets one up before anything else.
  const user = await findUserSummary(getDb(), result.claims.userId);
  redirect(user?.role === 'admin' ? ADMIN_TWO_FACTOR_SETUP_PATH : callbackUrl);
}
