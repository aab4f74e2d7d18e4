'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { keyDetailsFromForm, keyDetailsSchema } from '@/lib/keys/rules';
import { createPendingKey } from '@/lib/keys/create';
import { ownerAction } from '@/lib/web/form-action';
import { keyFormEcho } from '@/lib/web/key-form-echo';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

const keyFields = {
  schema: keyDetailsSchema,
  read: keyDetailsFromForm,
  echo: keyFormEcho,
};

/** CREATE API Key: validates the form and stores a pending creation, then asks for the 2FA code. */
export const createApiKey = ownerAction({ fields: keyFields }, async (owner, { data, values }) => {
  const result = await createPendingKey(getDb(), owner, data, await requestContext());
  if (!result.ok) return refusalState(result, { values });
  redirect(`/settings/api-keys/new/${result.creationId}`);
});
