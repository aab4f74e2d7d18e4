'use server';

import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { findAccountKey } from '@/db/queries/api-keys';
import type { ActionState } from '@/lib/web/action-state';
import { requireOwner } from '@/lib/web/auth';
import { codeSchema, firstErrors } from '@/lib/web/form-schemas';
import { chooseChangeMethod, confirmKeyChange, findKeyChange, resendChangeCode } from '@/lib/keys/confirm-change';
import type { OwnerContext } from '@/lib/identity/owner';
import { requestContext } from '@/lib/web/request-context';
import { leaveIfMissing, refusalState } from '@/lib/web/refusal-state';
import { idFrom, leaveForMissingKey } from './key-route';
import { assertPostedForm } from '@/lib/web/form-action';

/** The second-factor step shared by edits, deletions and rotations (`…/edit/[changeId]`, `…/delete/[changeId]`, `…/rotate/[changeId]`). */

async function changeFrom(owner: OwnerContext, form: FormData) {
  const keyId = idFrom(form, 'keyId');
  const changeId = idFrom(form, 'changeId');
  const change = await findKeyChange(getDb(), owner, keyId, changeId);
  if (!change) {
    // The key may be gone (a deletion cascades to its changes); else the id is not theirs.
    if (!(await findAccountKey(getDb(), owner.accountId, keyId))) await leaveForMissingKey(owner, keyId);
    notFound();
  }
  return { keyId, changeId, page: `/settings/api-keys/${keyId}/${change.kind}/${changeId}` };
}

export async function chooseChangeMethodAction(form: FormData): Promise<void> {
  assertPostedForm(form);
  const owner = await requireOwner();
  const { keyId, changeId, page } = await changeFrom(owner, form);
  const method = form.get('method') === 'sms' ? 'sms' : 'totp';
  const result = await chooseChangeMethod(getDb(), owner, keyId, changeId, method, await requestContext());
  if (!result.ok) leaveIfMissing(result);
  redirect(page);
}

export async function resendChangeCodeAction(form: FormData): Promise<void> {
  assertPostedForm(form);
  const owner = await requireOwner();
  const { keyId, changeId, page } = await changeFrom(owner, form);
  const result = await resendChangeCode(getDb(), owner, keyId, changeId, await requestContext());
  if (!result.ok) leaveIfMissing(result);
  redirect(`${page}${result.ok ? '?resent=1' : ''}`);
}

/** The code for a pending edit, deletion or rotation: the right one applies it. */
export async function confirmChangeAction(_: ActionState, form: FormData): Promise<ActionState> {
  assertPostedForm(form);
  const owner = await requireOwner();
  const { keyId, changeId } = await changeFrom(owner, form);
  const parsed = codeSchema.safeParse({ code: form.get('code') });
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error) };
  const result = await confirmKeyChange(getDb(), owner, keyId, changeId, parsed.data.code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  // The new secret is shown once, on the rotation's own page (a double submit finds it shown already).
  if (result.kind === 'rotate') redirect(`/settings/api-keys/${keyId}/rotate/${changeId}/secret`);
  const notice = result.kind === 'delete' ? 'deleted' : result.deactivated ? 'edited-inactive' : 'edited';
  redirect(`/settings/api-keys?notice=${notice}`);
}
