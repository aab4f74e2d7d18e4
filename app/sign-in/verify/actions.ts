'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { codeSchema, firstErrors } from '@/lib/web/form-schemas';
import { requestContext } from '@/lib/web/request-context';
import { refusalState } from '@/lib/web/refusal-state';
import { safeReturnPath } from '@/lib/identity/return-path';
import { startSession } from '@/lib/web/session';
import { chooseSignInMethod, completeSignIn, resendSignInCode } from '@/lib/identity/sign-in';
import { SIGN_IN_COOKIE } from '../cookie';
import { assertPostedForm } from '@/lib/web/form-action';

const signInToken = async () => (await cookies()).get(SIGN_IN_COOKIE)?.value;

export async function verifySignInCode(_: ActionState, form: FormData): Promise<ActionState> {
  assertPostedForm(form);
  const parsed = codeSchema.safeParse({ code: form.get('code') });
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error) };
  const result = await completeSignIn(getDb(), await signInToken(), parsed.data.code, await requestContext());
  if (!result.ok) {
    if (result.reason === 'ended') (await cookies()).delete(SIGN_IN_COOKIE);
    return refusalState(result, { field: 'code' });
  }
  (await cookies()).delete(SIGN_IN_COOKIE);
  await startSession(result.claims);
  redirect(safeReturnPath(result.callbackUrl));
}

export async function switchSignInMethod(form: FormData): Promise<void> {
  assertPostedForm(form);
  const method = form.get('method') === 'sms' ? 'sms' : 'totp';
  await chooseSignInMethod(getDb(), await signInToken(), method, await requestContext());
  redirect('/sign-in/verify');
}

export async function resendSignIn(form: FormData): Promise<void> {
  assertPostedForm(form);
  const result = await resendSignInCode(getDb(), await signInToken(), await requestContext());
  redirect(result.ok ? '/sign-in/verify?resent=1' : '/sign-in/verify');
}
