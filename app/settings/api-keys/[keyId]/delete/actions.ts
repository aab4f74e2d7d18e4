'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { requireOwner } from '@/lib/web/auth';
import { requestKeyDeletion } from '@/lib/keys/change';
import { requestContext } from '@/lib/web/request-context';
import { refusalState } from '@/lib/web/refusal-state';
import { idFrom } from '../key-route';

/** Delete, after its confirmation dialog: a pending deletion, then the second-factor step. */
export async function requestDeletion(_: ActionState, form: FormData): Promise<ActionState> {
  const owner = await requireOwner();
  const keyId = idFrom(form, 'keyId');
  const result = await requestKeyDeletion(getDb(), owner, keyId, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect(`/settings/api-keys/${keyId}/delete/${result.changeId}`);
}
