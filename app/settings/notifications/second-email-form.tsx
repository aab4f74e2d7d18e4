'use client';

import { useActionState } from 'react';
import { FormAlert, TextField } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { useFieldErrors } from '@/components/use-field-errors';
import { formError, IDLE, submittedValue } from '@/lib/web/action-state';
import { addSecondEmail } from './actions';

/** The second address: a code is sent to it, and it receives nothing until that code comes back. */
export function SecondEmailForm({ label }: { label: string }) {
  const [state, action] = useActionState(addSecondEmail, IDLE);
  const errors = useFieldErrors(state);
  return (
    <form action={action} onChange={errors.onChange} className="space-y-4">
      <FormAlert message={formError(state)} />
      <TextField
        label={label}
        name="email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        hint="We send a 6-digit code to this address; enter it here to confirm the address."
        defaultValue={submittedValue(state, 'email')}
        error={errors.first('email')}
      />
      <SubmitButton>Send code</SubmitButton>
    </form>
  );
}
