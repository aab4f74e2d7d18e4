import { UNUSED_AFTER_DAYS } from '@/lib/api/unused-permissions';
import { PERMISSION_LABELS, type Permission } from '@/lib/keys/permissions';
import { removeUnusedPermission } from './least-privilege-actions';
import { RemovePermissionForm } from './least-privilege-form';

/**
 * Money permissions the key holds and has not used for 30 days (`unusedMoneyPermissions`, read
 * with the page's other reads), each removable in one step.
 */
export function LeastPrivilege({ keyId, unused }: { keyId: string; unused: Permission[] }) {
  if (unused.length === 0) return null;
  const labels = unused.map((p) => PERMISSION_LABELS[p]);
  return (
    <section
      aria-labelledby="least-privilege-heading"
      className="mt-6 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
    >
      <h2 id="least-privilege-heading" className="font-semibold">
        Unused for {UNUSED_AFTER_DAYS} days: {labels.join(', ')}
      </h2>
      <p className="mt-1">
        This key can move money with {labels.length > 1 ? 'these permissions' : 'this permission'}, but no call has needed{' '}
        {labels.length > 1 ? 'them' : 'it'} for {UNUSED_AFTER_DAYS} days. Removing {labels.length > 1 ? 'one' : 'it'} only narrows access:
        it applies at once, after your second factor.
      </p>
      <div className="mt-3 flex flex-wrap gap-3">
        {unused.map((p) => (
          <RemovePermissionForm key={p} action={removeUnusedPermission} keyId={keyId} permission={p} label={PERMISSION_LABELS[p]} />
        ))}
      </div>
    </section>
  );
}
