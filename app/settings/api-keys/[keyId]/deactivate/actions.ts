'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { requireOwner } from '@/lib/web/auth';
import { deactivateKey } from '@/lib/keys/change';
import { requestContext } from '@/lib/web/request-context';
import { refusalState } from '@/lib/web/refusal-state';
import { idFrom } from '../key-route';

/** Deactivate, from its confirmation dialog: the key stops working at once. */
export async function deactivateApiKey(_: ActionState, form: FormData): Promise<ActionState> {
  const owner = await requireOwner();
  const keyId = idFrom(form, 'keyId');
  const result = await deactivateKey(getDb(), owner, keyId, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect('/settings/api-keys?notice=deactivated');
}
