'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { requestKeyDeletion } from '@/lib/keys/change';
import { ownerAction } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

/** Delete, after its confirmation dialog: a pending deletion, then the second-factor step. */
export const requestDeletion = ownerAction({ ids: ['keyId'] }, async (owner, { ids: { keyId } }) => {
  const result = await requestKeyDeletion(getDb(), owner, keyId, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect(`/settings/api-keys/${keyId}/delete/${result.changeId}`);
});
