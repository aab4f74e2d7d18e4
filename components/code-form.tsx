'use client';

import { useActionState } from 'react';
import { formError, IDLE, type ActionState } from '@/lib/web/action-state';
import { Countdown, useReached } from './countdown';
import { DialogActions } from './dialog-actions';
import { FormAlert, TextField } from './field';
import { SubmitButton } from './submit-button';
import { useFieldErrors } from './use-field-errors';

/** When a sent code expires, and the server's time when the page was drawn (see `codeExpiry`). */
export interface CodeExpiry {
  until: string;
  renderedAt: string;
}

/**
 * One 6-digit code field and its submit button; the error sits under the field and goes as soon
 * as the person types another code. A code sent by SMS or email says under the field when it
 * expires; once it has, that line or the field's error says so, not both. In a dialog
 * (`cancelHref`) the buttons are the dialog's: Cancel, then the submit.
 */
export function CodeForm({
  action,
  label = 'Verification code',
  submitLabel = 'Confirm',
  variant = 'primary',
  hint,
  expiry,
  cancelHref,
  hidden = {},
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  label?: string;
  submitLabel?: string;
  /** `danger` when confirming destroys something (deleting a key): red, like the step before it. */
  variant?: 'primary' | 'danger';
  hint?: string;
  expiry?: CodeExpiry;
  cancelHref?: string;
  /** Context for the action, e.g. where to return afterwards; the action re-validates it. */
  hidden?: Record<string, string>;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  const errors = useFieldErrors(state);
  const error = errors.first('code');
  const expired = useReached(expiry?.until, expiry?.renderedAt ?? '');
  const submit = <SubmitButton variant={variant}>{submitLabel}</SubmitButton>;
  return (
    <form action={formAction} onChange={errors.onChange} className="space-y-4">
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
        hint={
          expiry && !(expired && error) ? (
            <Countdown
              until={expiry.until}
              renderedAt={expiry.renderedAt}
              running="The code expires"
              done="The code has expired — request a new one."
            />
          ) : (
            hint
          )
        }
        error={error}
      />
      {cancelHref ? <DialogActions cancelHref={cancelHref}>{submit}</DialogActions> : submit}
    </form>
  );
}
