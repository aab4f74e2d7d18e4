'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { keyDetailsFromForm, keyDetailsSchema } from '@/lib/keys/rules';
import { requireOwner } from '@/lib/web/auth';
import { firstErrors } from '@/lib/web/form-schemas';
import { createPendingKey } from '@/lib/keys/create';
import { requestContext } from '@/lib/web/request-context';
import { refusalState } from '@/lib/web/refusal-state';

/** CREATE API Key: validates the form and stores a pending creation, then asks for the 2FA code. */
export async function createApiKey(_: ActionState, form: FormData): Promise<ActionState> {
  const owner = await requireOwner();
  const raw = keyDetailsFromForm(form);
  const values = {
    name: typeof form.get('name') === 'string' ? String(form.get('name')) : '',
    permissions: form.getAll('permissions').filter((v): v is string => typeof v === 'string'),
    ipWhitelist: typeof form.get('ipWhitelist') === 'string' ? String(form.get('ipWhitelist')) : '',
  };
  const parsed = keyDetailsSchema.safeParse(raw);
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error), values };
  const result = await createPendingKey(getDb(), owner, parsed.data, await requestContext());
  if (!result.ok) return refusalState(result, { values });
  redirect(`/settings/api-keys/new/${result.creationId}`);
}
