'use client';

import { useActionState } from 'react';
import { FormAlert, TextField } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { useFieldErrors } from '@/components/use-field-errors';
import { formError, IDLE, submittedValue } from '@/lib/web/action-state';
import { beginSmsSetup } from '../actions';

export function PhoneForm({ returnTo }: { returnTo: string }) {
  const [state, action] = useActionState(beginSmsSetup, IDLE);
  const errors = useFieldErrors(state);
  return (
    <form action={action} onChange={errors.onChange} className="space-y-4">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <TextField
        label="Mobile phone number"
        name="phone"
        type="tel"
        autoComplete="tel"
        required
        autoFocus
        hint="International format, starting with + and the country code, e.g. +14155550123."
        defaultValue={submittedValue(state, 'phone')}
        error={errors.first('phone')}
      />
      <SubmitButton>Send code</SubmitButton>
    </form>
  );
}
