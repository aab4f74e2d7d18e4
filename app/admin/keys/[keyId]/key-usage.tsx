import { KeyUsageReport } from '@/components/key-usage';
import { findKeyUsage } from '@/db/queries/key-usage';
import { getDb } from '@/lib/platform/database';

/** The key's usage for an administrator (the page has already required one): the owner's view of it. */
export async function AdminKeyUsage({ accountId, keyId }: { accountId: string; keyId: string }) {
  const now = new Date();
  return <KeyUsageReport usage={await findKeyUsage(getDb(), accountId, keyId, now)} now={now} />;
}
