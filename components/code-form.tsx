'use client';

import { useActionState } from 'react';
import { fieldError, formError, IDLE, type ActionState } from '@/lib/web/action-state';
import { FormAlert, TextField } from './field';
import { SubmitButton } from './submit-button';

/** One 6-digit code field and its submit button; the error sits under the field. */
export function CodeForm({
  action,
  label = 'Verification code',
  submitLabel = 'Confirm',
  hint,
  hidden = {},
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  label?: string;
  submitLabel?: string;
  hint?: string;
  /** Context for the action, e.g. where to return afterwards; the action re-validates it. */
  hidden?: Record<string, string>;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="space-y-4">
      <FormAlert message={formError(state)} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <TextField
        label={label}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        autoFocus
        hint={hint}
        error={fieldError(state, 'code')}
      />
      <SubmitButton>{submitLabel}</SubmitButton>
    </form>
  );
}
