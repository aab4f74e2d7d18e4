'use client';

import { useActionState } from 'react';
import { FormAlert } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { formError, IDLE, type ActionState } from '@/lib/web/action-state';

/** One button about one person of the People view (Lift lock, Enable), with the refusal above it. */
export function PersonButtonForm({
  action,
  userId,
  email,
  label,
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  userId: string;
  email: string;
  label: string;
}) {
  const [state, formAction] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="flex flex-col items-start gap-2">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="userId" value={userId} />
      <SubmitButton variant="secondary">
        {label}
        <span className="sr-only"> {email}</span>
      </SubmitButton>
    </form>
  );
}
