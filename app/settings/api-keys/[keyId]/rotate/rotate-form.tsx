'use client';

import { useActionState } from 'react';
import { DialogActions } from '@/components/dialog-actions';
import { FormAlert } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { useFieldErrors } from '@/components/use-field-errors';
import { GRACE_CHOICES, GRACE_LABELS, type GraceChoice } from '@/lib/keys/grace';
import { formError, IDLE, submittedValue } from '@/lib/web/action-state';
import { requestRotation } from './actions';

const DEFAULT_GRACE: GraceChoice = '1h';

/** The grace period of the old secret, then Rotate secret: a plain form post without JavaScript. */
export function RotateForm({ keyId, cancelHref }: { keyId: string; cancelHref: string }) {
  const [state, action] = useActionState(requestRotation, IDLE);
  const errors = useFieldErrors(state);
  const error = errors.first('grace');
  const picked = submittedValue(state, 'grace') ?? DEFAULT_GRACE;
  return (
    <form action={action} onChange={errors.onChange} className="space-y-4">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="keyId" value={keyId} />
      <fieldset aria-describedby={error ? 'grace-error' : 'grace-hint'}>
        <legend className="text-sm font-medium text-slate-800">Keep the old secret working for</legend>
        <p id="grace-hint" className="mt-1 text-sm text-slate-600">
          During this time the API accepts both secrets, so your applications can move to the new one without downtime.
        </p>
        <div className="mt-2 space-y-2">
          {GRACE_CHOICES.map((choice) => (
            <label key={choice} className="flex items-center gap-3 text-sm text-slate-900">
              <input type="radio" name="grace" value={choice} defaultChecked={picked === choice} />
              {GRACE_LABELS[choice]}
            </label>
          ))}
        </div>
        {error ? (
          <p id="grace-error" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </fieldset>
      <DialogActions cancelHref={cancelHref}>
        <SubmitButton>Rotate secret</SubmitButton>
      </DialogActions>
    </form>
  );
}
