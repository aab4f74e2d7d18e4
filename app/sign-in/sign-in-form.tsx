'use client';

import { useActionState } from 'react';
import { FormAlert, TextField } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { useFieldErrors } from '@/components/use-field-errors';
import { formError, IDLE, submittedValue } from '@/lib/web/action-state';
import { signIn } from './actions';

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState(signIn, IDLE);
  const errors = useFieldErrors(state);
  return (
    <form action={action} onChange={errors.onChange} className="space-y-4">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        defaultValue={submittedValue(state, 'email')}
        error={errors.first('email')}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.first('password')}
      />
      <SubmitButton>Sign in</SubmitButton>
    </form>
  );
}
