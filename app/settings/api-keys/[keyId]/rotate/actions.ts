'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { rotationSchema } from '@/lib/keys/grace';
import { requestKeyRotation } from '@/lib/keys/rotate';
import { ownerAction, text } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

const rotationFields = {
  schema: rotationSchema,
  read: (form: FormData) => ({ grace: form.get('grace') ?? undefined }),
  echo: (form: FormData) => ({ grace: text(form, 'grace') }),
};

/** Rotate secret: the grace period picked, a pending rotation, then the second-factor step. */
export const requestRotation = ownerAction({ ids: ['keyId'], fields: rotationFields }, async (owner, { ids: { keyId }, data, values }) => {
  const result = await requestKeyRotation(getDb(), owner, keyId, data.grace, await requestContext());
  if (!result.ok) return refusalState(result, { values });
  redirect(`/settings/api-keys/${keyId}/rotate/${result.changeId}`);
});
