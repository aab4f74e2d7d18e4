'use client';

import { useActionState } from 'react';
import { FormAlert } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { formError, IDLE, type ActionState } from '@/lib/web/action-state';

type Action = (state: ActionState, form: FormData) => Promise<ActionState>;

/** One button per unused permission; the second factor is asked on the next step. */
export function RemovePermissionForm({
  action,
  keyId,
  permission,
  label,
}: {
  action: Action;
  keyId: string;
  permission: string;
  label: string;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="space-y-2">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="keyId" value={keyId} />
      <input type="hidden" name="permission" value={permission} />
      <SubmitButton variant="secondary">Remove {label}</SubmitButton>
    </form>
  );
}
