'use client';

import { useActionState } from 'react';
import { DialogActions } from '@/components/dialog-actions';
import { FormAlert, TextField } from '@/components/field';
import { KeyFields, useKeyForm, type KeyDraft } from '@/components/key-fields';
import { SubmitButton } from '@/components/submit-button';
import { formError, IDLE } from '@/lib/web/action-state';
import { diffKey, NARROW_NOTICE, parseExpiryDate, widenNotice, type KeySettings } from '@/lib/keys/diff';
import { parseIpWhitelist } from '@/lib/platform/ip-whitelist';
import { normalizePermissions, type Permission } from '@/lib/keys/permissions';
import { saveKeyEdit } from './actions';

export interface EditableKey {
  id: string;
  name: string;
  permissions: Permission[];
  ipWhitelist: string[];
  /** "YYYY-MM-DD" or "" */
  expiresOn: string;
}

/** What saving would do, in words — the same rule the server applies when the code confirms it. */
function Outcome({ before, draft }: { before: KeySettings; draft: KeyDraft }) {
  const permissions = normalizePermissions(draft.permissions);
  const whitelist = parseIpWhitelist(draft.ipWhitelist);
  const expiresAt = draft.expiresOn ? parseExpiryDate(draft.expiresOn) : null;
  if (!permissions.ok || !whitelist.ok || (draft.expiresOn && !expiresAt)) return null;
  const diff = diffKey(before, { name: draft.name, permissions: permissions.permissions, ipWhitelist: whitelist.entries, expiresAt });
  return (
    <div role="status" className="space-y-1 text-sm">
      {!diff.changed ? (
        <p className="text-slate-600">No changes yet.</p>
      ) : diff.widens.length ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">{widenNotice(diff.widens)}</p>
      ) : (
        <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-900">{NARROW_NOTICE}</p>
      )}
    </div>
  );
}

export function EditKeyForm({ apiKey, callerIp }: { apiKey: EditableKey; callerIp: string | null }) {
  const [state, action] = useActionState(saveKeyEdit, IDLE);
  const form = useKeyForm(state, {
    name: apiKey.name,
    permissions: apiKey.permissions,
    ipWhitelist: apiKey.ipWhitelist.join('\n'),
    expiresOn: apiKey.expiresOn,
  });
  const before: KeySettings = {
    name: apiKey.name,
    permissions: apiKey.permissions,
    ipWhitelist: apiKey.ipWhitelist,
    expiresAt: parseExpiryDate(apiKey.expiresOn),
  };
  return (
    <form action={action} onChange={form.onChange} className="space-y-5">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="keyId" value={apiKey.id} />
      <KeyFields form={form} callerIp={callerIp} />
      <TextField
        label="Expiry date (optional)"
        name="expiresOn"
        type="date"
        defaultValue={form.initial.expiresOn}
        hint="The key stops working at 00:00 UTC on this date. Leave empty for no expiry."
        error={form.errors.first('expiresOn')}
      />
      <Outcome before={before} draft={form.draft} />
      <DialogActions cancelHref="/settings/api-keys">
        <SubmitButton>Save changes</SubmitButton>
      </DialogActions>
    </form>
  );
}
