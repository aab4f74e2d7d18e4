'use client';

import { useActionState } from 'react';
import { DialogActions } from '@/components/dialog-actions';
import { FormAlert } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { formError, IDLE, type ActionState } from '@/lib/web/action-state';

/** A confirmation dialog's buttons: Cancel, and one red submit that names what it does (deactivate, delete). */
export function ConfirmForm({
  action,
  keyId,
  submitLabel,
  cancelHref = '/settings/api-keys',
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  keyId: string;
  submitLabel: React.ReactNode;
  cancelHref?: string;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="space-y-4">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="keyId" value={keyId} />
      <DialogActions cancelHref={cancelHref}>
        <SubmitButton variant="danger">{submitLabel}</SubmitButton>
      </DialogActions>
    </form>
  );
}
