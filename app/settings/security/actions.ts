'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { requireUser } from '@/lib/web/auth';
import { z } from 'zod';
import { assertPostedForm, CODE_FIELD, userAction, text } from '@/lib/web/form-action';
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
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  await startTotpEnrolment(getDb(), user);
  redirect(withReturn('/settings/security/totp', form));
}

export const confirmTotpSetup = userAction('/settings/security', { fields: CODE_FIELD }, async (user, { data: { code }, form }) => {
  const result = await confirmTotpEnrolment(getDb(), user, code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect(returnTo(form));
});

const phoneFields = {
  schema: z.object({ phone: phoneSchema }),
  read: (form: FormData) => ({ phone: text(form, 'phone') }),
  echo: (form: FormData) => ({ phone: text(form, 'phone') }),
};

export const beginSmsSetup = userAction('/settings/security', { fields: phoneFields }, async (user, { data: { phone }, values, form }) => {
  const result = await startSmsEnrolment(getDb(), user, phone, await requestContext());
  if (!result.ok) return refusalState(result, { values });
  redirect(withReturn('/settings/security/sms', form));
});

export const confirmSmsSetup = userAction('/settings/security', { fields: CODE_FIELD }, async (user, { data: { code }, form }) => {
  const result = await confirmSmsEnrolment(getDb(), user, code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect(returnTo(form));
});

export async function resendSmsSetupCode(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  await resendTwoFactorCode(getDb(), user, 'sms_enrolment', await requestContext());
  redirect(withReturn('/settings/security/sms', form));
}

export async function beginTwoFactorDisable(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  const method = form.get('method') === 'sms' ? 'sms' : 'totp';
  await requestTwoFactorDisable(getDb(), user, method, await requestContext());
  redirect('/settings/security/disable');
}

export async function resendDisableCode(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await requireUser('/settings/security');
  await resendTwoFactorCode(getDb(), user, 'two_factor_disable', await requestContext());
  redirect('/settings/security/disable');
}

export const confirmDisable = userAction('/settings/security', { fields: CODE_FIELD }, async (user, { data: { code } }) => {
  const result = await confirmTwoFactorDisable(getDb(), user, code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect('/settings/security');
});
