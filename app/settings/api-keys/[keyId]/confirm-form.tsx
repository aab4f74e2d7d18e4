'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { FormAlert } from '@/components/field';
import { SubmitButton } from '@/components/submit-button';
import { formError, IDLE, type ActionState } from '@/lib/web/action-state';

/** A confirmation dialog's buttons: Cancel, and one submit that names what it does. */
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
      <div className="flex justify-end gap-3">
        <Link
          href={cancelHref}
          prefetch={false}
          className="inline-flex items-center rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
        >
          Cancel
        </Link>
        <SubmitButton variant="danger">{submitLabel}</SubmitButton>
      </div>
    </form>
  );
}
