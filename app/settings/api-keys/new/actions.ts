'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { keyDetailsFromForm, keyDetailsSchema } from '@/lib/keys/rules';
import { createPendingKey } from '@/lib/keys/create';
import { ownerAction, text, texts } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

const keyFields = {
  schema: keyDetailsSchema,
  read: keyDetailsFromForm,
  echo: (form: FormData) => ({ name: text(form, 'name'), permissions: texts(form, 'permissions'), ipWhitelist: text(form, 'ipWhitelist') }),
};

/** CREATE API Key: validates the form and stores a pending creation, then asks for the 2FA code. */
export const createApiKey = ownerAction({ fields: keyFields }, async (owner, { data, values }) => {
  const result = await createPendingKey(getDb(), owner, data, await requestContext());
  if (!result.ok) return refusalState(result, { values });
  redirect(`/settings/api-keys/new/${result.creationId}`);
});
