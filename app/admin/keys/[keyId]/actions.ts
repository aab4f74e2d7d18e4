'use server';

import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { liftSuspension, reasonSchema, revokeKey, suspendKey } from '@/lib/keys/admin';
import { requireAdmin } from '@/lib/web/auth';
import { rowId } from '@/lib/web/search-params';
import { requestContext } from '@/lib/web/request-context';
import { refusalState } from '@/lib/web/refusal-state';

function keyIdFrom(form: FormData): string {
  const parsed = rowId.safeParse(form.get('keyId'));
  if (!parsed.success) notFound();
  return parsed.data;
}

function reasonFrom(form: FormData): { ok: true; reason: string } | { ok: false; state: ActionState } {
  const raw = form.get('reason');
  const parsed = reasonSchema.safeParse(typeof raw === 'string' ? raw : undefined);
  if (parsed.success) return { ok: true, reason: parsed.data };
  return { ok: false, state: { status: 'error', fieldErrors: { reason: [parsed.error.issues[0].message] }, values: { reason: typeof raw === 'string' ? raw : '' } } };
}

/** Suspend: the key stops working at once; its owner sees the reason and cannot activate it. */
export async function suspendKeyAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const keyId = keyIdFrom(form);
  const reason = reasonFrom(form);
  if (!reason.ok) return reason.state;
  const result = await suspendKey(getDb(), admin, keyId, reason.reason, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect(`/admin/keys/${keyId}?notice=suspended`);
}

export async function liftSuspensionAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const keyId = keyIdFrom(form);
  const result = await liftSuspension(getDb(), admin, keyId, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect(`/admin/keys/${keyId}?notice=lifted`);
}

/** Revoke: permanent; the key stays listed as Revoked and never works again. */
export async function revokeKeyAction(_: ActionState, form: FormData): Promise<ActionState> {
  const admin = await requireAdmin();
  const keyId = keyIdFrom(form);
  const reason = reasonFrom(form);
  if (!reason.ok) return reason.state;
  const result = await revokeKey(getDb(), admin, keyId, reason.reason, await requestContext());
  if (!result.ok) return refusalState(result);
  redirect(`/admin/keys/${keyId}?notice=revoked`);
}
