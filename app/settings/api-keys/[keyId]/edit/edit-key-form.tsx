'use client';

import { useActionState } from 'react';
import { DialogActions } from '@/components/dialog-actions';
import { FormAlert } from '@/components/field';
import { KeyFields, useKeyForm, type KeyDraft } from '@/components/key-fields';
import { SubmitButton } from '@/components/submit-button';
import { formError, IDLE } from '@/lib/web/action-state';
import { useNow } from '@/components/use-now';
import { diffKey, NARROW_NOTICE, widenNotice, type KeySettings } from '@/lib/keys/diff';
import { parseExpiryDate, resolveExpiry } from '@/lib/keys/expiry';
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

/**
 * What saving would do, in words — the same rule the server applies when the code confirms it.
 * Nothing is said while a field is wrong (saving would change nothing), so no "applies at once"
 * stands next to a date error.
 */
function Outcome({ before, draft, blocked }: { before: KeySettings; draft: KeyDraft; blocked: boolean }) {
  const now = useNow();
  const permissions = normalizePermissions(draft.permissions);
  const whitelist = parseIpWhitelist(draft.ipWhitelist);
  const expiry = now === null ? null : resolveExpiry(draft.expiry, new Date(now), { keep: before.expiresAt });
  if (blocked || !permissions.ok || !whitelist.ok || !expiry?.ok) return null;
  const diff = diffKey(before, {
    name: draft.name,
    permissions: permissions.permissions,
    ipWhitelist: whitelist.entries,
    expiresAt: expiry.expiresAt,
  });
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
    expiry: apiKey.expiresOn ? { choice: 'date', date: apiKey.expiresOn } : { choice: 'none', date: '' },
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
      <KeyFields form={form} callerIp={callerIp} keepExpiry={before.expiresAt} />
      <Outcome before={before} draft={form.draft} blocked={form.errors.first('expiry') !== undefined} />
      <DialogActions cancelHref="/settings/api-keys">
        <SubmitButton>Save changes</SubmitButton>
      </DialogActions>
    </form>
  );
}
