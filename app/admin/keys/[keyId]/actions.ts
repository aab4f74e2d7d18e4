'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/lib/platform/database';
import { liftSuspension, reasonSchema, revokeKey, suspendKey } from '@/lib/keys/admin';
import { adminAction, text } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

const reasonFields = {
  schema: z.object({ reason: reasonSchema }),
  read: (form: FormData) => ({ reason: form.get('reason') ?? undefined }),
  echo: (form: FormData) => ({ reason: text(form, 'reason') }),
};

// Each needs this session's second factor from the last 10 minutes; else the admin confirms it's
// them first and comes back to the step's page (lib/web/form-action.ts).
const backTo = (step: string) => (ids: { keyId: string }) => `/admin/keys/${ids.keyId}${step}`;

/** Suspend: the key stops working at once; its owner sees the reason and cannot activate it. */
export const suspendKeyAction = adminAction(
  { ids: ['keyId'], fields: reasonFields, stepUpReturn: backTo('/suspend') },
  async (admin, { ids: { keyId }, data: { reason } }) => {
    const result = await suspendKey(getDb(), admin, keyId, reason, await requestContext());
    if (!result.ok) return refusalState(result);
    redirect(`/admin/keys/${keyId}?notice=suspended`);
  },
);

export const liftSuspensionAction = adminAction({ ids: ['keyId'], stepUpReturn: backTo('') }, async (admin, { ids: { keyId } }) => {
  const result = await liftSuspension(getDb(), admin, keyId, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect(`/admin/keys/${keyId}?notice=lifted`);
});

/** Revoke: permanent; the key stays listed as Revoked and never works again. */
export const revokeKeyAction = adminAction(
  { ids: ['keyId'], fields: reasonFields, stepUpReturn: backTo('/revoke') },
  async (admin, { ids: { keyId }, data: { reason } }) => {
    const result = await revokeKey(getDb(), admin, keyId, reason, await requestContext());
    if (!result.ok) return refusalState(result);
    redirect(`/admin/keys/${keyId}?notice=revoked`);
  },
);
