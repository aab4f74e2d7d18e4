import { PERMISSION_LABELS, PERMISSIONS, type Permission } from '@/lib/keys/permissions';

/**
 * The permission levels of a key. Read is always granted: shown ticked and locked (a disabled box
 * is not submitted, so a hidden field sends it; the server insists on it either way).
 */
export function PermissionCheckboxes({ checked, error }: { checked: (permission: Permission) => boolean; error?: string }) {
  return (
    <fieldset aria-describedby={error ? 'permissions-error' : 'read-note'}>
      <legend className="text-sm font-medium text-slate-800">Permissions</legend>
      <input type="hidden" name="permissions" value="read" />
      <div className="mt-2 grid grid-cols-2 gap-2">
        {PERMISSIONS.map((p) => (
          <label key={p} className="flex items-center gap-2 text-sm">
            {p === 'read' ? (
              <input type="checkbox" checked disabled readOnly />
            ) : (
              <input type="checkbox" name="permissions" value={p} defaultChecked={checked(p)} />
            )}
            {PERMISSION_LABELS[p]}
          </label>
        ))}
      </div>
      <p id="read-note" className="mt-1 text-xs text-slate-600">
        Read is always included.
      </p>
      {error ? (
        <p id="permissions-error" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
