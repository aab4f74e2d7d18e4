import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { apiKeys } from '../schema';

/** When the secret a rotation replaced stops working (null: none kept), for a key of the account. */
export async function findPreviousSecretEnd(db: Db, accountId: string, keyId: string): Promise<Date | null> {
  const [row] = await db
    .select({ endsAt: apiKeys.previousSecretExpiresAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId)));
  return row?.endsAt ?? null;
}
