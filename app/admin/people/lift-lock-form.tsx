'use client';

import { useActionState } from 'react';
import { FormAlert } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { formError, IDLE, type ActionState } from '@/lib/web/action-state';

export function LiftLockForm({
  action,
  userId,
  email,
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  userId: string;
  email: string;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="flex flex-col items-start gap-2">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton variant="secondary">
        Lift lock<span className="sr-only"> of {email}</span>
      </SubmitButton>
    </form>
  );
}
