'use client';

import Link from 'next/link';
import { useActionState, useState } from 'react';
import { FormAlert, TextArea, TextField } from '@/components/field';
import { PermissionCheckboxes } from '@/components/permission-checkboxes';
import { SubmitButton } from '@/components/submit-button';
import { fieldError, formError, IDLE, type ActionState } from '@/lib/web/action-state';
import { parseIpWhitelist, whitelistLocksOut } from '@/lib/platform/ip-whitelist';
import { createApiKey } from './actions';

const submitted = (state: ActionState) => (state.status === 'error' ? state.values : undefined);

/** Warns, as the owner types, when the whitelist would shut out the address they are using now. */
function LockoutWarning({ text, callerIp }: { text: string; callerIp: string | null }) {
  const parsed = parseIpWhitelist(text);
  if (!callerIp || !parsed.ok || !whitelistLocksOut(parsed.entries, callerIp)) return null;
  return (
    <p role="status" className="mt-1 text-sm text-amber-800">
      Your current address {callerIp} is not in this list: this key will not work from here.
    </p>
  );
}

export function NewKeyForm({ callerIp }: { callerIp: string | null }) {
  const [state, action] = useActionState(createApiKey, IDLE);
  const values = submitted(state);
  const [whitelist, setWhitelist] = useState('');
  const checked = (p: string) => (Array.isArray(values?.permissions) ? values.permissions.includes(p) : false);
  const permissionsError = fieldError(state, 'permissions');
  return (
    <form action={action} className="space-y-5">
      <FormAlert message={formError(state)} />
      <TextField
        label="API Key name"
        name="name"
        required
        maxLength={64}
        autoFocus
        autoComplete="off"
        defaultValue={typeof values?.name === 'string' ? values.name : undefined}
        error={fieldError(state, 'name')}
      />
      <PermissionCheckboxes checked={checked} error={permissionsError} />
      <div>
        <TextArea
          label="IP Whitelist (optional)"
          name="ipWhitelist"
          rows={3}
          placeholder="203.0.113.7, 198.51.100.0/24; 2001:db8::/32"
          hint={`IPv4, IPv6 or CIDR ranges, separated by spaces, new lines, commas or semicolons. Leave empty to allow any address.${callerIp ? ` Your current address is ${callerIp}.` : ''}`}
          defaultValue={typeof values?.ipWhitelist === 'string' ? values.ipWhitelist : undefined}
          onChange={(e) => setWhitelist(e.target.value)}
          error={state.status === 'error' ? state.fieldErrors?.ipWhitelist?.join(' ') : undefined}
        />
        <LockoutWarning text={whitelist} callerIp={callerIp} />
      </div>
      <div className="flex justify-end gap-3">
        <Link
          href="/settings/api-keys"
          className="inline-flex items-center rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
        >
          Cancel
        </Link>
        <SubmitButton>CREATE API Key</SubmitButton>
      </div>
    </form>
  );
}
