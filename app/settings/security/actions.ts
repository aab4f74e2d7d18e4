'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ActionState } from '@/lib/web/action-state';
import { requireUser } from '@/lib/web/auth';
import { codeSchema, firstErrors } from '@/lib/web/form-schemas';
import { requestContext } from '@/lib/web/request-context';
import { refusalState } from '@/lib/web/refusal-state';
import { safeReturnPath } from '@/lib/identity/return-path';
import {
  confirmSmsEnrolment,
  confirmTotpEnrolment,
  confirmTwoFactorDisable,
  phoneSchema,
  requestTwoFactorDisable,
  resendTwoFactorCode,
  startSmsEnrolment,
  startTotpEnrolment,
} from '@/lib/identity/two-factor';

/** Where to go once 2FA is on: back to the step that asked for it, else the Security page. */
const returnTo = (form: FormData) => safeReturnPath(form.get('returnTo'), '/settings/security');
const withReturn = (path: string, form: FormData) => {
  const back = form.get('returnTo');
  return typeof back === 'string' && back ? `${path}?returnTo=${encodeURIComponent(safeReturnPath(back))}` : path;
};

export async function beginTotpSetup(form: FormData): Promise<void> {
  const user = await requireUser('/settings/security');
  await startTotpEnrolment(getDb(), user);
  redirect(withReturn('/settings/security/totp', form));
}

export async function confirmTotpSetup(_: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser('/settings/security');
  const parsed = codeSchema.safeParse({ code: form.get('code') });
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error) };
  const result = await confirmTotpEnrolment(getDb(), user, parsed.data.code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect(returnTo(form));
}

export async function beginSmsSetup(_: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser('/settings/security');
  const raw = typeof form.get('phone') === 'string' ? String(form.get('phone')) : '';
  const parsed = phoneSchema.safeParse(raw);
  if (!parsed.success) return { status: 'error', fieldErrors: { phone: [parsed.error.issues[0].message] }, values: { phone: raw } };
  const result = await startSmsEnrolment(getDb(), user, parsed.data, await requestContext());
  if (!result.ok) return refusalState(result, { values: { phone: raw } });
  redirect(withReturn('/settings/security/sms', form));
}

export async function confirmSmsSetup(_: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser('/settings/security');
  const parsed = codeSchema.safeParse({ code: form.get('code') });
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error) };
  const result = await confirmSmsEnrolment(getDb(), user, parsed.data.code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect(returnTo(form));
}

export async function resendSmsSetupCode(form: FormData): Promise<void> {
  const user = await requireUser('/settings/security');
  await resendTwoFactorCode(getDb(), user, 'sms_enrolment', await requestContext());
  redirect(withReturn('/settings/security/sms', form));
}

export async function beginTwoFactorDisable(form: FormData): Promise<void> {
  const user = await requireUser('/settings/security');
  const method = form.get('method') === 'sms' ? 'sms' : 'totp';
  await requestTwoFactorDisable(getDb(), user, method, await requestContext());
  redirect('/settings/security/disable');
}

export async function resendDisableCode(): Promise<void> {
  const user = await requireUser('/settings/security');
  await resendTwoFactorCode(getDb(), user, 'two_factor_disable', await requestContext());
  redirect('/settings/security/disable');
}

export async function confirmDisable(_: ActionState, form: FormData): Promise<ActionState> {
  const user = await requireUser('/settings/security');
  const parsed = codeSchema.safeParse({ code: form.get('code') });
  if (!parsed.success) return { status: 'error', fieldErrors: firstErrors(parsed.error) };
  const result = await confirmTwoFactorDisable(getDb(), user, parsed.data.code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect('/settings/security');
}
