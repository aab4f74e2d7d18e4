import { MONEY_MOVING_PERMISSIONS, PERMISSION_DESCRIPTIONS, PERMISSION_LABELS, PERMISSIONS, type Permission } from '@/lib/keys/permissions';

/** The id of a permission's checkbox (no underscore, so CSS selectors can name it plainly). */
const permissionInputId = (permission: Permission) => `permission-${permission.replaceAll('_', '-')}`;

/** "Moves money": next to the levels whose actions take money in or out of the account's balances. */
function MovesMoney({ id }: { id: string }) {
  return (
    <span id={id} className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold whitespace-nowrap text-amber-900">
      Moves money
    </span>
  );
}

/**
 * The permission levels of a key, each with what it allows in one line (read with the checkbox by
 * screen readers). Read is always granted: shown ticked and locked (a disabled box is not
 * submitted, so a hidden field sends it; the server insists on it either way).
 */
export function PermissionCheckboxes({ checked, error }: { checked: (permission: Permission) => boolean; error?: string }) {
  return (
    <fieldset aria-describedby={error ? 'permissions-error' : undefined}>
      <legend className="text-sm font-medium text-slate-800">Permissions</legend>
      <input type="hidden" name="permissions" value="read" />
      <ul className="mt-2 space-y-3">
        {PERMISSIONS.map((p) => {
          const id = permissionInputId(p);
          const money = MONEY_MOVING_PERMISSIONS.includes(p);
          const describedBy = money ? `${id}-money ${id}-description` : `${id}-description`;
          return (
            <li key={p} className="flex items-start gap-2">
              {p === 'read' ? (
                <input id={id} type="checkbox" className="mt-1" checked disabled readOnly aria-describedby={describedBy} />
              ) : (
                <input
                  id={id}
                  type="checkbox"
                  name="permissions"
                  value={p}
                  className="mt-1"
                  defaultChecked={checked(p)}
                  aria-describedby={describedBy}
                />
              )}
              <div>
                <label htmlFor={id} className="text-sm font-medium text-slate-900">
                  {PERMISSION_LABELS[p]}
                </label>
                {money ? <MovesMoney id={`${id}-money`} /> : null}
                <p id={`${id}-description`} className="text-xs text-slate-600">
                  {PERMISSION_DESCRIPTIONS[p]}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
      {error ? (
        <p id="permissions-error" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
