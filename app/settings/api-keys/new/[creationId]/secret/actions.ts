'use server';

import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { ownerAction } from '@/lib/web/form-action';
import { requestKeyActivation } from '@/lib/keys/activate';
import { findCreation } from '@/lib/keys/create';
import { requestContext } from '@/lib/web/request-context';
import { leaveIfMissing } from '@/lib/web/refusal-state';

/** ACTIVATE (email code step) or ACTIVATE LATER (the key stays inactive), once the secret is saved. */
export const finishCreation = ownerAction({ ids: ['creationId'] }, async (owner, { ids: { creationId }, form }) => {
  const creation = await findCreation(getDb(), owner, creationId);
  if (!creation?.apiKeyId || creation.status !== 'created') notFound();
  if (form.get('saved') !== 'on') {
    return { status: 'error', fieldErrors: { saved: ['Confirm that you have saved the API Secret: it cannot be shown again.'] } };
  }
  if (form.get('choice') !== 'activate') redirect('/settings/api-keys?notice=later');
  const result = await requestKeyActivation(getDb(), owner, creation.apiKeyId, await requestContext());
  if (!result.ok) {
    leaveIfMissing(result);
    redirect('/settings/api-keys');
  }
  redirect(`/settings/api-keys/${creation.apiKeyId}/activate`);
});
