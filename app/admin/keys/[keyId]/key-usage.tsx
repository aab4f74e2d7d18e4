import { KeyUsageReport } from '@/components/key-usage';
import { findKeyUsage } from '@/db/queries/key-usage';
import { unusedMoneyPermissions, UNUSED_AFTER_DAYS } from '@/lib/api/unused-permissions';
import { PERMISSION_LABELS } from '@/lib/keys/permissions';
import { getDb } from '@/lib/platform/database';
import { pipelinedReads } from '@/db/client';

/**
 * The key's usage for an administrator (the page has already required one): the owner's view of
 * it, and its money permissions unused for 30 days (only the owner can remove them).
 */
export async function AdminKeyUsage({ accountId, keyId }: { accountId: string; keyId: string }) {
  const now = new Date();
  const [usage, unused] = await pipelinedReads(getDb(), (reads) =>
    Promise.all([findKeyUsage(reads, accountId, keyId, now), unusedMoneyPermissions(reads, accountId, keyId, now)]),
  );
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
