'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { FormAlert, TextArea } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { fieldError, formError, IDLE, submittedValue, type ActionState } from '@/lib/web/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/**
 * Suspend and Revoke (and disabling a person, `idField="userId"`): a required reason (3–500
 * characters), shown to the key's owner or to the person.
 */
export function ReasonForm({
  action,
  id,
  idField = 'keyId',
  hint = 'The owner of the key sees this reason.',
  submitLabel,
  cancelHref,
  danger,
}: {
  action: Action;
  id: string;
  idField?: 'keyId' | 'userId';
  hint?: string;
  submitLabel: string;
  cancelHref: string;
  danger?: boolean;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="space-y-4">
      <FormAlert message={formError(state)} />
      <input type="hidden" name={idField} value={id} />
      <TextArea
        label="Reason"
        name="reason"
        rows={3}
        required
        minLength={3}
        maxLength={500}
        autoFocus
        hint={`3–500 characters. ${hint}`}
        defaultValue={submittedValue(state, 'reason')}
        error={fieldError(state, 'reason')}
      />
      <div className="flex justify-end gap-3">
        <Link
          href={cancelHref}
          className="inline-flex items-center rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
        >
          Cancel
        </Link>
        <SubmitButton variant={danger ? 'danger' : 'primary'}>{submitLabel}</SubmitButton>
      </div>
    </form>
  );
}

export function LiftSuspensionForm({ action, keyId }: { action: Action; keyId: string }) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="inline-flex flex-col gap-2">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="keyId" value={keyId} />
      <SubmitButton variant="secondary">Lift suspension</SubmitButton>
    </form>
  );
}
