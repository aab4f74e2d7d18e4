'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { requireOwner } from '@/lib/web/auth';
import { assertPostedForm, CODE_FIELD, ownerAction, text } from '@/lib/web/form-action';
import { requestContext } from '@/lib/web/request-context';
import { refusalState } from '@/lib/web/refusal-state';
import {
  confirmSecondEmail,
  remindersSchema,
  removeSecondEmail,
  resendSecondEmailCode,
  secondEmailSchema,
  setReminders,
  startSecondEmailConfirmation,
} from '@/lib/identity/notification-settings';

const PAGE = '/settings/notifications';

export const saveReminders = ownerAction(
  { page: PAGE, fields: { schema: remindersSchema, read: (form) => ({ reminders: form.get('reminders') }) } },
  async (owner, { data: { reminders } }) => {
    await setReminders(getDb(), owner, reminders === 'on', await requestContext());
    redirect(`${PAGE}?saved=reminders`);
  },
);

const emailFields = {
  schema: secondEmailSchema,
  read: (form: FormData) => ({ email: text(form, 'email') }),
  echo: (form: FormData) => ({ email: text(form, 'email') }),
};

export const addSecondEmail = ownerAction({ page: PAGE, fields: emailFields }, async (owner, { data: { email }, values }) => {
  const result = await startSecondEmailConfirmation(getDb(), owner, email, await requestContext());
  if (!result.ok) return refusalState(result, { values });
  redirect(PAGE);
});

export const confirmSecondEmailCode = ownerAction({ page: PAGE, fields: CODE_FIELD }, async (owner, { data: { code } }) => {
  const result = await confirmSecondEmail(getDb(), owner, code, await requestContext());
  if (!result.ok) return refusalState(result, { field: 'code' });
  redirect(`${PAGE}?saved=address`);
});

export async function resendSecondEmail(form: FormData): Promise<void> {
  assertPostedForm(form);
  const owner = await requireOwner(PAGE);
  await resendSecondEmailCode(getDb(), owner, await requestContext());
  redirect(`${PAGE}?resent=1`);
}

export async function removeSecondAddress(form: FormData): Promise<void> {
  assertPostedForm(form);
  const owner = await requireOwner(PAGE);
  await removeSecondEmail(getDb(), owner, await requestContext());
  redirect(`${PAGE}?saved=removed`);
}
