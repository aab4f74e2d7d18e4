'use client';

import { useState, type FormEvent } from 'react';
import { ExpiryField, type ExpiryDraft } from './expiry-field';
import { TextArea, TextField } from './field';
import { AnyAddressWithdrawalNotice } from './key-access';
import { PermissionCheckboxes } from './permission-checkboxes';
import { useHydrated } from './use-hydrated';
import { useFieldErrors, type LiveFieldErrors } from './use-field-errors';
import type { ActionState } from '@/lib/web/action-state';
import { withdrawsFromAnyAddress } from '@/lib/keys/permissions';
import { parseIpWhitelist, whitelistLocksOut } from '@/lib/platform/ip-whitelist';

/** The key settings as the form holds them right now (what the person has typed and ticked). */
export interface KeyDraft {
  name: string;
  permissions: string[];
  ipWhitelist: string;
  /** The expiry choice ("none", "30", "90", "365", "date") and the date typed for "date". */
  expiry: ExpiryDraft;
}

function readKeyDraft(form: HTMLFormElement): KeyDraft {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '');
  return {
    name: text('name').trim(),
    permissions: data.getAll('permissions').map(String),
    ipWhitelist: text('ipWhitelist'),
    expiry: { choice: text('expiry'), date: text('expiresOn').trim() },
  };
}

/** What the form starts from: what was submitted when the server refused it, else `fallback`. */
function initialKeyDraft(state: ActionState, fallback: KeyDraft): KeyDraft {
  const values = state.status === 'error' ? state.values : undefined;
  const echoed = (name: string) => (typeof values?.[name] === 'string' ? values[name] : undefined);
  return {
    name: echoed('name') ?? fallback.name,
    permissions: Array.isArray(values?.permissions) ? values.permissions : fallback.permissions,
    ipWhitelist: echoed('ipWhitelist') ?? fallback.ipWhitelist,
    expiry: { choice: echoed('expiry') ?? fallback.expiry.choice, date: echoed('expiresOn') ?? fallback.expiry.date },
  };
}

export interface KeyForm {
  /** What the fields start from (their default values). */
  initial: KeyDraft;
  /** What they hold now, for the warnings and the edit dialog's outcome. */
  draft: KeyDraft;
  errors: LiveFieldErrors;
  /** The form's onChange: keeps the draft and drops the errors of the field that changed. */
  onChange: (event: FormEvent<HTMLFormElement>) => void;
}

/** The state of a new-key or edit form after its last submit (`state`), starting from `fallback`. */
export function useKeyForm(state: ActionState, fallback: KeyDraft): KeyForm {
  const errors = useFieldErrors(state);
  const initial = initialKeyDraft(state, fallback);
  const [draft, setDraft] = useState<KeyDraft | null>(null);
  return {
    initial,
    draft: draft ?? initial,
    errors,
    onChange: (event) => {
      setDraft(readKeyDraft(event.currentTarget));
      errors.onChange(event);
    },
  };
}

/**
 * CSS alone shows the warning when JavaScript does not run: Funds External ticked while the
 * whitelist shows its placeholder, i.e. is empty (ids as PermissionCheckboxes and TextArea set them;
 * written out whole so that Tailwind finds the class).
 */
const SHOWN_WITHOUT_JS = 'hidden [form:has(#permission-funds-external:checked):has(#ipWhitelist:placeholder-shown)_&]:block';

/** Funds External with an empty whitelist, as the owner ticks and types. */
function AnyAddressWithdrawalWarning({ draft }: { draft: KeyDraft }) {
  const hydrated = useHydrated();
  const whitelist = parseIpWhitelist(draft.ipWhitelist);
  const shown = whitelist.ok && withdrawsFromAnyAddress(draft.permissions, whitelist.entries);
  return (
    <div aria-live="polite">
      {!hydrated ? (
        <AnyAddressWithdrawalNotice className={`mt-2 ${SHOWN_WITHOUT_JS}`} />
      ) : shown ? (
        <AnyAddressWithdrawalNotice className="mt-2" />
      ) : null}
    </div>
  );
}

/** Warns, as the owner types, when the whitelist would shut out the address they are using now. */
function LockoutWarning({ text, callerIp }: { text: string; callerIp: string | null }) {
  const parsed = parseIpWhitelist(text);
  const shown = callerIp && parsed.ok && whitelistLocksOut(parsed.entries, callerIp);
  return (
    <div aria-live="polite">
      {shown ? (
        <p className="mt-1 text-sm text-amber-800">
          Your current address {callerIp} is not in this list: this key will not work from here.
        </p>
      ) : null}
    </div>
  );
}

/**
 * Name, permissions, IP whitelist and expiry: the fields the new-key and the edit dialogs share, with
 * their warnings. Errors are the live ones (useFieldErrors): a field's error goes once it changes.
 */
export function KeyFields({
  form,
  callerIp,
  autoFocus,
  keepExpiry,
}: {
  form: KeyForm;
  callerIp: string | null;
  autoFocus?: boolean;
  /** The edit's current expiry, which may stay as it is. */
  keepExpiry?: Date | null;
}) {
  const { initial, draft, errors } = form;
  return (
    <>
      <TextField
        label="API Key name"
        name="name"
        required
        maxLength={64}
        autoFocus={autoFocus}
        autoComplete="off"
        defaultValue={initial.name}
        error={errors.first('name')}
      />
      <PermissionCheckboxes checked={(p) => initial.permissions.includes(p)} error={errors.first('permissions')} />
      <div>
        <TextArea
          label="IP Whitelist (optional)"
          name="ipWhitelist"
          rows={3}
          placeholder="203.0.113.7, 198.51.100.0/24; 2001:db8::/32"
          hint={`IPv4, IPv6 or CIDR ranges, separated by spaces, new lines, commas or semicolons. Leave empty to allow any address.${callerIp ? ` Your current address is ${callerIp}.` : ''}`}
          defaultValue={initial.ipWhitelist}
          error={errors.all('ipWhitelist')}
        />
        <LockoutWarning text={draft.ipWhitelist} callerIp={callerIp} />
        <AnyAddressWithdrawalWarning draft={draft} />
      </div>
      <ExpiryField initial={initial.expiry} draft={draft.expiry} error={errors.first('expiry')} keep={keepExpiry} />
    </>
  );
}
