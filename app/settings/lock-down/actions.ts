'use server';

import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { chooseLockDownMethod, confirmLockDown, DEACTIVATE_ALL_PATH, resendLockDownCode, type LockDownOrigin } from '@/lib/keys/lock-down';
import { linkTokenOf, notMePath } from '@/lib/identity/not-me-links';
import { currentSessionId, requireUser } from '@/lib/web/auth';
import { assertPostedForm, CODE_FIELD, userAction } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

/**
 * The actions of the "deactivate all keys" step, shared by its two pages: the button's
 * (/settings/api-keys/deactivate-all) and the email link's (/settings/security/not-me/<token>).
 * The form names the link's token, if any; the domain re-checks it on every post.
 */

const stepPath = (token: string | null) => (token ? notMePath(token) : DEACTIVATE_ALL_PATH);

async function originOf(form: FormData): Promise<LockDownOrigin> {
  const sessionId = await currentSessionId();
  if (!sessionId) redirect('/sign-in');
  const raw = form.get('token');
  const linkToken = linkTokenOf(raw);
  // A token that is not one of ours is a made-up link, not the button's step.
  if (raw !== null && linkToken === null) notFound();
  return { linkToken, sessionId };
}

export const confirmLockDownAction = userAction('/settings/security', { fields: CODE_FIELD }, async (user, { data: { code }, form }) => {
  const result = await confirmLockDown(getDb(), user, await originOf(form), code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect(user.membership?.role === 'owner' ? '/settings/api-keys?notice=all-deactivated' : '/settings/security?notice=locked-down');
});

/** "Text me a code" / "Email me a code" / "Use my authenticator app instead". */
export async function chooseLockDownMethodAction(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  const origin = await originOf(form);
  const method = form.get('method');
  if (method === 'sms' || method === 'totp' || method === 'email')
    await chooseLockDownMethod(getDb(), user, origin, method, await requestContext());
  redirect(stepPath(origin.linkToken));
}

export async function resendLockDownAction(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  const origin = await originOf(form);
  const result = await resendLockDownCode(getDb(), user, origin, await requestContext());
  redirect(`${stepPath(origin.linkToken)}${result.ok ? '?resent=1' : ''}`);
}
