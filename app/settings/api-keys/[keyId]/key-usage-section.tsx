import { KeyUsageReport } from '@/components/key-usage';
import { findKeyUsage } from '@/db/queries/key-usage';
import { getDb } from '@/lib/platform/database';

/** The key's usage on its page; the query is scoped to the owner's account like the key itself. */
export async function KeyUsageSection({ accountId, keyId, now }: { accountId: string; keyId: string; now: Date }) {
  const usage = await findKeyUsage(getDb(), accountId, keyId, now);
  return <KeyUsageReport usage={usage} now={now} />;
}
