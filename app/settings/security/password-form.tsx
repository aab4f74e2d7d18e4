'use client';

import { useActionState } from 'react';
import { FormAlert, FormNotice, TextField } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { useFieldErrors } from '@/components/use-field-errors';
import { formError, IDLE } from '@/lib/web/action-state';
import { changeOwnPassword } from './password-actions';

export function PasswordForm() {
  const [state, action] = useActionState(changeOwnPassword, IDLE);
  const errors = useFieldErrors(state);
  return (
    <form action={action} onChange={errors.onChange} className="max-w-md space-y-4">
      <FormAlert message={formError(state)} />
      <FormNotice message={state.status === 'ok' ? state.message : undefined} />
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={errors.first('currentPassword')}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters."
        error={errors.first('newPassword')}
      />
      <TextField
        label="Repeat new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        error={errors.first('confirmPassword')}
      />
      <SubmitButton>Change password</SubmitButton>
    </form>
  );
}
