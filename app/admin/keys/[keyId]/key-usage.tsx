import { KeyUsageReport } from '@/components/key-usage';
import type { KeyUsage } from '@/db/queries/key-usage';
import { UNUSED_AFTER_DAYS } from '@/lib/api/unused-permissions';
import { PERMISSION_LABELS, type Permission } from '@/lib/keys/permissions';

/**
 * The key's usage for an administrator (read with the rest of the key's page): the owner's view of
 * it, and its money permissions unused for 30 days (only the owner can remove them).
 */
export function AdminKeyUsage({ usage, unused, now }: { usage: KeyUsage; unused: Permission[]; now: Date }) {
  return (
    <>
      {unused.length ? (
        <p className="mt-6 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Unused for {UNUSED_AFTER_DAYS} days: {unused.map((p) => PERMISSION_LABELS[p]).join(', ')}. The owner is offered to remove{' '}
          {unused.length > 1 ? 'them' : 'it'} on the key’s page.
        </p>
      ) : null}
      <KeyUsageReport usage={usage} now={now} />
    </>
  );
}
