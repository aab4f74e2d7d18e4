import { permissionLabels, permissionNames, withdrawsFromAnyAddress } from '@/lib/keys/permissions';

/** What a key may do and from where, shown the same on every page that describes a key. */

export function PermissionNames({ permissions }: { permissions: readonly string[] }) {
  return <>{permissionNames(permissions)}</>;
}

/**
 * The same as small chips, for the key list. The commas are there for screen readers (and the
 * text of the cell still reads "Read, Trade"), not for the eye.
 */
export function PermissionChips({ permissions }: { permissions: readonly string[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {permissionLabels(permissions).map((label, i) => (
        <span key={label} className="contents">
          {i > 0 ? <span className="sr-only">, </span> : null}
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium whitespace-nowrap text-slate-700 ring-1 ring-slate-200 ring-inset">
            {label}
          </span>
        </span>
      ))}
    </span>
  );
}

/** The whitelist one entry a line, or "Any address" when it is empty. */
export function WhitelistEntries({ entries }: { entries: readonly string[] }) {
  if (entries.length === 0) return <>Any address</>;
  return (
    <ul className="font-mono text-xs">
      {entries.map((entry) => (
        <li key={entry}>{entry}</li>
      ))}
    </ul>
  );
}

const warning = 'rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950';

/** Funds External with an empty whitelist: allowed, but said plainly before the key is saved. */
export function AnyAddressWithdrawalNotice({ className = '' }: { className?: string }) {
  return (
    <p className={`${warning} ${className}`}>
      <strong>Funds External with an empty IP whitelist:</strong> any address can use this key to withdraw. Add the addresses of your
      servers to the whitelist to limit it.
    </p>
  );
}

/** The notice, for a key (or a key about to be created) that would withdraw from any address. */
export function AnyAddressWithdrawal({ permissions, ipWhitelist }: { permissions: readonly string[]; ipWhitelist: readonly string[] }) {
  return withdrawsFromAnyAddress(permissions, ipWhitelist) ? <AnyAddressWithdrawalNotice /> : null;
}
