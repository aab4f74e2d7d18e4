'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { requireOwner } from '@/lib/web/auth';
import { firstErrors } from '@/lib/web/form-schemas';
import { keyEditFromForm, keyEditSchema, requestKeyEdit } from '@/lib/keys/change';
import { requestContext } from '@/lib/web/request-context';
import { refusalState } from '@/lib/web/refusal-state';
import { idFrom } from '../key-route';

const text = (form: FormData, name: string) => (typeof form.get(name) === 'string' ? String(form.get(name)) : '');

/** Save on the edit dialog: checks the new settings and stores them as a change awaiting 2FA. */
export async function saveKeyEdit(_: ActionState, form: FormData): Promise<ActionState> {
  const owner = await requireOwner();
  const keyId = idFrom(form, 'keyId');
  const values = {
    name: text(form, 'name'),
    permissions: form.getAll('permissions').filter((v): v is string => typeof v === 'string'),
    ipWhitelist: text(form, 'ipWhitelist'),
    expiresOn: text(form, 'expiresOn'),
  };
  const parsed = keyEditSchema.safeParse(keyEditFromForm(form));
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error), values };
  const result = await requestKeyEdit(getDb(), owner, keyId, parsed.data, await requestContext());
  if (!result.ok) return refusalState(result, { values });
  redirect(`/settings/api-keys/${keyId}/edit/${result.changeId}`);
}
