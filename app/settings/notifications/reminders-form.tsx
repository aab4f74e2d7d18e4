'use client';

import { useActionState } from 'react';
import { FormAlert } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { useFieldErrors } from '@/components/use-field-errors';
import { formError, IDLE } from '@/lib/web/action-state';
import { saveReminders } from './actions';

const CHOICES = [
  { value: 'on', label: 'On', description: 'Email me about keys that expire or were never activated.' },
  { value: 'off', label: 'Off', description: 'No reminders. Security emails still go out.' },
] as const;

/** Key reminders on or off: two radios and Save, a plain form post without JavaScript. */
export function RemindersForm({ enabled }: { enabled: boolean }) {
  const [state, action] = useActionState(saveReminders, IDLE);
  const errors = useFieldErrors(state);
  const error = errors.first('reminders');
  return (
    <form action={action} onChange={errors.onChange} className="space-y-4">
      <FormAlert message={formError(state)} />
      <fieldset aria-describedby={error ? 'reminders-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">Reminders by email</legend>
        <div className="mt-2 space-y-2">
          {CHOICES.map((choice) => (
            <label key={choice.value} className="flex items-start gap-3 text-sm text-slate-900">
              <input
                type="radio"
                name="reminders"
                value={choice.value}
                defaultChecked={enabled === (choice.value === 'on')}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{choice.label}</span>
                <span className="block text-slate-600">{choice.description}</span>
              </span>
            </label>
          ))}
        </div>
        {error ? (
          <p id="reminders-error" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </fieldset>
      <SubmitButton>Save reminders</SubmitButton>
    </form>
  );
}
