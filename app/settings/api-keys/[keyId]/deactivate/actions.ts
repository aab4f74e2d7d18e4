'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { deactivateKey } from '@/lib/keys/change';
import { ownerAction } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

/** Deactivate, from its confirmation dialog: the key stops working at once. */
export const deactivateApiKey = ownerAction({ ids: ['keyId'] }, async (owner, { ids: { keyId } }) => {
  const result = await deactivateKey(getDb(), owner, keyId, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect('/settings/api-keys?notice=deactivated');
});
