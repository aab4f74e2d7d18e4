'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { keyEditFromForm, keyEditSchema, requestKeyEdit } from '@/lib/keys/change';
import { ownerAction } from '@/lib/web/form-action';
import { keyFormEcho } from '@/lib/web/key-form-echo';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

const editFields = {
  schema: keyEditSchema,
  read: keyEditFromForm,
  echo: keyFormEcho,
};

/** Save on the edit dialog: checks the new settings and stores them as a change awaiting 2FA. */
export const saveKeyEdit = ownerAction({ ids: ['keyId'], fields: editFields }, async (owner, { ids: { keyId }, data, values }) => {
  const result = await requestKeyEdit(getDb(), owner, keyId, data, await requestContext());
  if (!result.ok) return refusalState(result, { values });
  redirect(`/settings/api-keys/${keyId}/edit/${result.changeId}`);
});
