'use server';

import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { requireOwner } from '@/lib/web/auth';
import { uuidSchema } from '@/lib/web/form-schemas';
import { assertPostedForm, CODE_FIELD, ownerAction } from '@/lib/web/form-action';
import { confirmKeyActivation, requestKeyActivation, resendActivationCode } from '@/lib/keys/activate';
import { requestContext } from '@/lib/web/request-context';
import { leaveIfMissing, refusalState } from '@/lib/web/refusal-state';

function keyIdFrom(form: FormData): string {
  const parsed = uuidSchema.safeParse(form.get('keyId'));
  if (!parsed.success) notFound();
  return parsed.data;
}

/** Activate (from the list or after creation): sends the email code, then shows the code step. */
export async function requestActivation(form: FormData): Promise<void> {
  assertPostedForm(form);
  const owner = await requireOwner();
  const keyId = keyIdFrom(form);
  const result = await requestKeyActivation(getDb(), owner, keyId, await requestContext());
  if (!result.ok) leaveIfMissing(result);
  // Suspended, revoked or expired: the activation page says why; an active key needs nothing.
  const refused = !result.ok && result.reason === 'refused';
  redirect(result.ok || refused ? `/settings/api-keys/${keyId}/activate` : '/settings/api-keys');
}

export async function resendActivation(form: FormData): Promise<void> {
  assertPostedForm(form);
  const owner = await requireOwner();
  const keyId = keyIdFrom(form);
  const result = await resendActivationCode(getDb(), owner, keyId, await requestContext());
  if (!result.ok) leaveIfMissing(result);
  redirect(`/settings/api-keys/${keyId}/activate${result.ok ? '?resent=1' : ''}`);
}

export const confirmActivation = ownerAction({ ids: ['keyId'], fields: CODE_FIELD }, async (owner, { ids: { keyId }, data: { code } }) => {
  const result = await confirmKeyActivation(getDb(), owner, keyId, code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect('/settings/api-keys?notice=activated');
});
