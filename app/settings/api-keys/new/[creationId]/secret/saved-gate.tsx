'use client';

import { useActionState, useState } from 'react';
import { SubmitButton } from '@/components/submit-button';
import { useFieldErrors } from '@/components/use-field-errors';
import { useHydrated } from '@/components/use-hydrated';
import { IDLE } from '@/lib/web/action-state';
import { finishCreation } from './actions';

/**
 * ACTIVATE and ACTIVATE LATER stay disabled until "I have saved the API Secret" is ticked.
 * Without JavaScript the buttons cannot be disabled, so the checkbox is `required` instead (and
 * the server checks it either way).
 */
export function SavedGate({ creationId, askToConfirm }: { creationId: string; askToConfirm: boolean }) {
  const [state, action] = useActionState(finishCreation, IDLE);
  const hydrated = useHydrated();
  const [saved, setSaved] = useState(!askToConfirm);
  const errors = useFieldErrors(state);
  const error = errors.first('saved');
  const locked = hydrated && !saved;
  return (
    <form action={action} onChange={errors.onChange} className="space-y-4">
      <input type="hidden" name="creationId" value={creationId} />
      {askToConfirm ? (
        <div>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              name="saved"
              required
              checked={saved}
              onChange={(e) => setSaved(e.target.checked)}
              aria-describedby={error ? 'saved-error' : undefined}
            />
            I have saved the API Secret
          </label>
          {error ? (
            <p id="saved-error" className="mt-1 text-sm text-red-700">
              {error}
            </p>
          ) : null}
        </div>
      ) : (
        <input type="hidden" name="saved" value="on" />
      )}
      <div className="flex justify-end gap-3">
        <SubmitButton name="choice" value="later" variant="secondary" disabled={locked}>
          ACTIVATE LATER
        </SubmitButton>
        <SubmitButton name="choice" value="activate" disabled={locked}>
          ACTIVATE
        </SubmitButton>
      </div>
    </form>
  );
}
