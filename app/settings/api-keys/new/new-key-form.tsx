'use client';

import { useActionState } from 'react';
import { DialogActions } from '@/components/dialog-actions';
import { FormAlert } from '@/components/field';
import { KeyFields, useKeyForm, type KeyDraft } from '@/components/key-fields';
import { SubmitButton } from '@/components/submit-button';
import { formError, IDLE } from '@/lib/web/action-state';
import { createApiKey } from './actions';

const EMPTY: KeyDraft = { name: '', permissions: [], ipWhitelist: '', expiry: { choice: 'none', date: '' } };

export function NewKeyForm({ callerIp }: { callerIp: string | null }) {
  const [state, action] = useActionState(createApiKey, IDLE);
  const form = useKeyForm(state, EMPTY);
  return (
    <form action={action} onChange={form.onChange} className="space-y-5">
      <FormAlert message={formError(state)} />
      <KeyFields form={form} callerIp={callerIp} autoFocus />
      <DialogActions cancelHref="/settings/api-keys">
        <SubmitButton>CREATE API Key</SubmitButton>
      </DialogActions>
    </form>
  );
}
