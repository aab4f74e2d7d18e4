'use server';

import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { requireOwner } from '@/lib/web/auth';
import { uuidSchema } from '@/lib/web/form-schemas';
import { assertPostedForm, CODE_FIELD, ownerAction } from '@/lib/web/form-action';
import { chooseCreationMethod, confirmKeyCreation, resendCreationCode } from '@/lib/keys/create';
import { requestContext } from '@/lib/web/request-context';
import { leaveIfMissing, refusalState } from '@/lib/web/refusal-state';

function creationIdFrom(form: FormData): string {
  const parsed = uuidSchema.safeParse(form.get('creationId'));
  if (!parsed.success) notFound();
  return parsed.data;
}

export async function chooseMethod(form: FormData): Promise<void> {
  assertPostedForm(form);
  const owner = await requireOwner();
  const creationId = creationIdFrom(form);
  const method = form.get('method') === 'sms' ? 'sms' : 'totp';
  const result = await chooseCreationMethod(getDb(), owner, creationId, method, await requestContext());
  if (!result.ok) leaveIfMissing(result);
  redirect(`/settings/api-keys/new/${creationId}`);
}

export async function resendCode(form: FormData): Promise<void> {
  assertPostedForm(form);
  const owner = await requireOwner();
  const creationId = creationIdFrom(form);
  const result = await resendCreationCode(getDb(), owner, creationId, await requestContext());
  if (!result.ok) leaveIfMissing(result);
  redirect(`/settings/api-keys/new/${creationId}${result.ok ? '?resent=1' : ''}`);
}

/** The 2FA code for a pending creation: on success the key exists and its secret is shown once. */
export const confirmCreation = ownerAction(
  { ids: ['creationId'], fields: CODE_FIELD },
  async (owner, { ids: { creationId }, data: { code } }) => {
    const result = await confirmKeyCreation(getDb(), owner, creationId, code, await requestContext());
    if (!result.ok) return refusalState(result, { field: 'code' });
    redirect(`/settings/api-keys/new/${creationId}/secret`);
  },
);
