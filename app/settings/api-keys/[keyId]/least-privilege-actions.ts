'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { findAccountKey } from '@/db/queries/api-keys';
import { requestKeyEdit } from '@/lib/keys/change';
import { MONEY_MOVING_PERMISSIONS, PERMISSION_LABELS, type Permission } from '@/lib/keys/permissions';
import { getDb } from '@/lib/platform/database';
import { ownerAction } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';
import { leaveForMissingKey } from './key-route';

const removal = {
  schema: z.object({ permission: z.enum(MONEY_MOVING_PERMISSIONS as [Permission, ...Permission[]], { error: 'Unknown permission' }) }),
  read: (form: FormData) => ({ permission: form.get('permission') }),
};

/**
 * "Remove" next to an unused money permission: the key's edit with only that permission taken
 * away — a narrowing edit, so it applies at once — confirmed by the second factor on the edit's
 * own confirmation step, like any edit.
 */
export const removeUnusedPermission = ownerAction({ ids: ['keyId'], fields: removal }, async (owner, { ids: { keyId }, data }) => {
  const key = await findAccountKey(getDb(), owner.accountId, keyId);
  if (!key) return leaveForMissingKey(owner, keyId);
  if (!key.permissions.includes(data.permission)) {
    return { status: 'error', message: `The key no longer has the ${PERMISSION_LABELS[data.permission]} permission.` };
  }
  const edit = {
    name: key.name,
    permissions: key.permissions.filter((p) => p !== data.permission) as Permission[],
    ipWhitelist: key.ipWhitelist,
    expiry: key.expiresAt,
  };
  const result = await requestKeyEdit(getDb(), owner, keyId, edit, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect(`/settings/api-keys/${keyId}/edit/${result.changeId}`);
});
