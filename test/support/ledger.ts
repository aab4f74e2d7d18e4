import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, type Db, type DbHandle } from '@/db/client';
import { ACCOUNT_EVENTS, type AccountEvent } from '@/lib/platform/events';
import { seedDemo } from '@/lib/identity/demo-accounts';
import { accounts, balances, walletBalances } from '@/db/schema';

/**
 * Ledger tests run on a fresh, migrated, seeded database: in-memory PGlite by default, or — when
 * DATABASE_URL points at a local PostgreSQL server — a throwaway database on it, where concurrent
 * requests really run concurrently (PGlite serialises transactions).
 */
process.env.KEYDESK_ENCRYPTION_KEY ??= Buffer.alloc(32, 1).toString('base64');

export interface LedgerTestDb {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Every account event NOTIFY'd on the database (committed transactions only), in order. */
  events: AccountEvent[];
  close(): Promise<void>;
}

async function collectEvents(handle: DbHandle): Promise<{ events: AccountEvent[]; stop: () => Promise<void> }> {
  const events: AccountEvent[] = [];
  const stop = await handle.listen(ACCOUNT_EVENTS, (payload) => events.push(JSON.parse(payload) as AccountEvent));
  return { events, stop };
}

export async function openLedgerTestDb(): Promise<LedgerTestDb> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = openDatabase({ dir: 'memory://' });
    await handle.migrate();
    await seedDemo(handle.db);
    const { events, stop } = await collectEvents(handle);
    return { db: handle.db, kind: 'pglite', events, close: async () => (await stop(), await handle.close()) };
  }
  const base = new URL(url);
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(base.hostname)) throw new Error('Ledger tests only create databases on a local PostgreSQL server');
  const name = `keydesk_ledger_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const target = new URL(base);
  target.pathname = `/${name}`;
  const handle = openDatabase({ url: target.toString() });
  await handle.migrate();
  await seedDemo(handle.db);
  const { events, stop } = await collectEvents(handle);
  return {
    db: handle.db,
    kind: 'postgres',
    events,
    close: async () => {
      await stop();
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

export async function accountIdOf(db: Db, name: string): Promise<string> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, name));
  return row.id;
}

/** Available and on-hold of one sub-account balance ('0' when the row does not exist). */
export async function balanceOf(db: Db, accountId: string, subAccount: string, currency: string): Promise<{ available: string; onHold: string }> {
  const [row] = await db
    .select({ available: balances.available, onHold: balances.onHold })
    .from(balances)
    .where(and(eq(balances.accountId, accountId), eq(balances.subAccount, subAccount), eq(balances.currency, currency)));
  return { available: trim(row?.available ?? '0'), onHold: trim(row?.onHold ?? '0') };
}

export async function walletOf(db: Db, accountId: string, currency: string): Promise<string> {
  const [row] = await db.select({ amount: walletBalances.amount }).from(walletBalances).where(and(eq(walletBalances.accountId, accountId), eq(walletBalances.currency, currency)));
  return trim(row?.amount ?? '0');
}

/** numeric(38,18) text without trailing zeros: '1.500000000000000000' → '1.5'. */
export function trim(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}
