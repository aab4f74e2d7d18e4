import { and, count, desc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { apiKeys } from '../schema';

/** A key as the owner's pages show it: never its secret. */
export interface ApiKeyRow {
  id: string;
  name: string;
  publicKey: string;
  permissions: string[];
  ipWhitelist: string[];
  status: 'active' | 'inactive';
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

const columns = {
  id: apiKeys.id,
  name: apiKeys.name,
  publicKey: apiKeys.publicKey,
  permissions: apiKeys.permissions,
  ipWhitelist: apiKeys.ipWhitelist,
  status: apiKeys.status,
  createdAt: apiKeys.createdAt,
  updatedAt: apiKeys.updatedAt,
  lastUsedAt: apiKeys.lastUsedAt,
  lastUsedIp: apiKeys.lastUsedIp,
};

export function listAccountKeys(db: Db, accountId: string): Promise<ApiKeyRow[]> {
  return db.select(columns).from(apiKeys).where(eq(apiKeys.accountId, accountId)).orderBy(desc(apiKeys.createdAt));
}

export async function findAccountKey(db: Db, accountId: string, keyId: string): Promise<ApiKeyRow | null> {
  const [row] = await db.select(columns).from(apiKeys).where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId)));
  return row ?? null;
}

export async function countKeysOfAccount(db: Db, accountId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.accountId, accountId));
  return row?.n ?? 0;
}
