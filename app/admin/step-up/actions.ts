'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { chooseStepUpMethod, confirmStepUp, resendStepUpCode, safeAdminPath } from '@/lib/identity/step-up';
import { ADMIN_TWO_FACTOR_SETUP_PATH, adminAccess } from '@/lib/web/auth';
import { adminStepUpAction, assertPostedForm, CODE_FIELD } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';
import { endSession, markSecondFactorPassed } from '@/lib/web/session';

/** The step's own address, keeping where it returns to. */
const stepUpPage = (form: FormData, extra = '') => `/admin/step-up?next=${encodeURIComponent(safeAdminPath(form.get('next')))}${extra}`;

async function admin() {
  const access = await adminAccess();
  if (access.kind !== 'ok') redirect(ADMIN_TWO_FACTOR_SETUP_PATH);
  return access.admin;
}

/** The code: when right, this session counts as freshly confirmed for 10 minutes and goes back. */
export const confirmStepUpAction = adminStepUpAction({ fields: CODE_FIELD }, async (user, { data: { code }, form }) => {
  const result = await confirmStepUp(getDb(), user, code, await requestContext());
  if (!result.ok) {
    // Too many wrong codes ended every session of this admin; this browser's cookie goes too.
    if (result.reason === 'ended') await endSession();
    return refusalState(result, { field: 'code' });
  }
  await markSecondFactorPassed(result.at);
  redirect(safeAdminPath(form.get('next')));
});

/** "Text me a code" / "Use my authenticator app instead". */
export async function chooseStepUpMethodAction(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await admin();
  await chooseStepUpMethod(getDb(), user, form.get('method') === 'sms' ? 'sms' : 'totp', await requestContext());
  redirect(stepUpPage(form));
}

export async function resendStepUpAction(form: FormData): Promise<void> {
  assertPostedForm(form);
  const user = await admin();
  const result = await resendStepUpCode(getDb(), user, await requestContext());
  redirect(stepUpPage(form, result.ok ? '&resent=1' : ''));
}
