import { and, count, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../client';
import { apiKeys, auditEvents, users } from '../schema';

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
  activatedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  expiresAt: Date | null;
  suspendedAt: Date | null;
  suspensionReason: string | null;
  revokedAt: Date | null;
  revocationReason: string | null;
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
  activatedAt: apiKeys.activatedAt,
  lastUsedAt: apiKeys.lastUsedAt,
  lastUsedIp: apiKeys.lastUsedIp,
  expiresAt: apiKeys.expiresAt,
  suspendedAt: apiKeys.suspendedAt,
  suspensionReason: apiKeys.suspensionReason,
  revokedAt: apiKeys.revokedAt,
  revocationReason: apiKeys.revocationReason,
};

export function listAccountKeys(db: Db, accountId: string): Promise<ApiKeyRow[]> {
  return db.select(columns).from(apiKeys).where(eq(apiKeys.accountId, accountId)).orderBy(desc(apiKeys.createdAt));
}

export async function findAccountKey(db: Db, accountId: string, keyId: string): Promise<ApiKeyRow | null> {
  const [row] = await db
    .select(columns)
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId)));
  return row ?? null;
}

export interface ApiKeyDetail extends ApiKeyRow {
  createdByName: string | null;
  createdByEmail: string | null;
  /** When the secret a rotation replaced stops working (null: none kept). */
  previousSecretExpiresAt: Date | null;
}

/** One key of the account with who created it (null once that person is gone) and its rotation's grace. */
export async function findAccountKeyDetail(db: Db, accountId: string, keyId: string): Promise<ApiKeyDetail | null> {
  const [row] = await db
    .select({
      ...columns,
      createdByName: users.name,
      createdByEmail: users.email,
      previousSecretExpiresAt: apiKeys.previousSecretExpiresAt,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId)));
  return row ?? null;
}

export interface KeyHistoryEntry {
  id: number;
  at: Date;
  action: string;
  success: boolean;
  ip: string | null;
  actorEmail: string | null;
  details: Record<string, unknown>;
}

/** A key's own audit events, newest first; scoped to the account so ids from elsewhere show nothing. */
export function listKeyHistory(db: Db, accountId: string, keyId: string, limit = 200): Promise<KeyHistoryEntry[]> {
  return db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      action: auditEvents.action,
      success: auditEvents.success,
      ip: auditEvents.ip,
      actorEmail: users.email,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(eq(auditEvents.apiKeyId, keyId), eq(auditEvents.accountId, accountId)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit);
}

export async function countKeysOfAccount(db: Db | Tx, accountId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.accountId, accountId));
  return row?.n ?? 0;
}
