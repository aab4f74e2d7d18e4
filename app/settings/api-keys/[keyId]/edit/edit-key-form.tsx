'use client';

import Link from 'next/link';
import { useActionState, useState } from 'react';
import { FormAlert, TextArea, TextField } from '@/components/field';
import { PermissionCheckboxes } from '@/components/permission-checkboxes';
import { SubmitButton } from '@/components/submit-button';
import { fieldError, formError, IDLE } from '@/lib/web/action-state';
import { diffKey, NARROW_NOTICE, parseExpiryDate, widenNotice, type KeySettings } from '@/lib/keys/diff';
import { parseIpWhitelist, whitelistLocksOut } from '@/lib/platform/ip-whitelist';
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

interface Draft {
  name: string;
  permissions: string[];
  ipWhitelist: string;
  expiresOn: string;
}

const draftOf = (form: HTMLFormElement): Draft => {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '');
  return {
    name: text('name').trim(),
    permissions: data.getAll('permissions').map(String),
    ipWhitelist: text('ipWhitelist'),
    expiresOn: text('expiresOn').trim(),
  };
};

/** What saving would do, in words — the same rule the server applies when the code confirms it. */
function Outcome({ before, draft, callerIp }: { before: KeySettings; draft: Draft; callerIp: string | null }) {
  const permissions = normalizePermissions(draft.permissions);
  const whitelist = parseIpWhitelist(draft.ipWhitelist);
  const expiresAt = draft.expiresOn ? parseExpiryDate(draft.expiresOn) : null;
  if (!permissions.ok || !whitelist.ok || (draft.expiresOn && !expiresAt)) return null;
  const diff = diffKey(before, { name: draft.name, permissions: permissions.permissions, ipWhitelist: whitelist.entries, expiresAt });
  const lockout = whitelistLocksOut(whitelist.entries, callerIp);
  return (
    <div role="status" className="space-y-1 text-sm">
      {!diff.changed ? (
        <p className="text-slate-600">No changes yet.</p>
      ) : diff.widens.length ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">{widenNotice(diff.widens)}</p>
      ) : (
        <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-900">{NARROW_NOTICE}</p>
      )}
      {lockout ? (
        <p className="text-amber-800">Your current address {callerIp} is not in this list: this key will not work from here.</p>
      ) : null}
    </div>
  );
}

export function EditKeyForm({ apiKey, callerIp }: { apiKey: EditableKey; callerIp: string | null }) {
  const [state, action] = useActionState(saveKeyEdit, IDLE);
  const values = state.status === 'error' ? state.values : undefined;
  const initial: Draft = {
    name: typeof values?.name === 'string' ? values.name : apiKey.name,
    permissions: Array.isArray(values?.permissions) ? values.permissions : apiKey.permissions,
    ipWhitelist: typeof values?.ipWhitelist === 'string' ? values.ipWhitelist : apiKey.ipWhitelist.join('\n'),
    expiresOn: typeof values?.expiresOn === 'string' ? values.expiresOn : apiKey.expiresOn,
  };
  const [draft, setDraft] = useState<Draft | null>(null);
  const before: KeySettings = {
    name: apiKey.name,
    permissions: apiKey.permissions,
    ipWhitelist: apiKey.ipWhitelist,
    expiresAt: parseExpiryDate(apiKey.expiresOn),
  };
  const permissionsError = fieldError(state, 'permissions');
  return (
    <form action={action} onChange={(e) => setDraft(draftOf(e.currentTarget))} className="space-y-5">
      <FormAlert message={formError(state)} />
      <input type="hidden" name="keyId" value={apiKey.id} />
      <TextField
        label="API Key name"
        name="name"
        required
        maxLength={64}
        autoComplete="off"
        defaultValue={initial.name}
        error={fieldError(state, 'name')}
      />
      <PermissionCheckboxes checked={(p) => initial.permissions.includes(p)} error={permissionsError} />
      <TextArea
        label="IP Whitelist (optional)"
        name="ipWhitelist"
        rows={3}
        hint={`IPv4, IPv6 or CIDR ranges, separated by spaces, new lines, commas or semicolons. Leave empty to allow any address.${callerIp ? ` Your current address is ${callerIp}.` : ''}`}
        defaultValue={initial.ipWhitelist}
        error={state.status === 'error' ? state.fieldErrors?.ipWhitelist?.join(' ') : undefined}
      />
      <TextField
        label="Expiry date (optional)"
        name="expiresOn"
        type="date"
        defaultValue={initial.expiresOn}
        hint="The key stops working at 00:00 UTC on this date. Leave empty for no expiry."
        error={fieldError(state, 'expiresOn')}
      />
      <Outcome before={before} draft={draft ?? initial} callerIp={callerIp} />
      <div className="flex justify-end gap-3">
        <Link
          href="/settings/api-keys"
          prefetch={false}
          className="inline-flex items-center rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
        >
          Cancel
        </Link>
        <SubmitButton>Save changes</SubmitButton>
      </div>
    </form>
  );
}
