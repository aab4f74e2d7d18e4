import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import { openDatabase, type Db, type DbHandle } from '@/db/client';
import { ACCOUNT_EVENTS, eventHub, type AccountEvent } from '@/lib/platform/events';
import { balances, walletBalances } from '@/db/schema';
import { LedgerError } from '@/lib/ledger/errors';
import type { LedgerContext } from '@/lib/ledger/orders';
import { internalTransfer } from '@/lib/ledger/transfers';
import { accountIdOf, createSeededTestDatabase, testDatabaseUrl } from './databases';

/**
 * The ledger tests' database and balance look-ups. They run on a fresh, seeded database from
 * databases.ts: in-memory PGlite by default, or — when DATABASE_URL points at a local PostgreSQL
 * server — a throwaway database on it, where concurrent requests really run concurrently (PGlite
 * serialises transactions).
 */

export { accountIdOf };

export interface LedgerTestDb {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** On PostgreSQL, a second connection pool to the same database, as another app process has. */
  openOtherProcess(): DbHandle | null;
  /** Every account event NOTIFY'd on the database (committed transactions only), in order. */
  events: AccountEvent[];
  close(): Promise<void>;
}

export async function openLedgerTestDb(): Promise<LedgerTestDb> {
  const testDb = await createSeededTestDatabase();
  const events: AccountEvent[] = [];
  const stop = await testDb.listen(ACCOUNT_EVENTS, (payload) => events.push(JSON.parse(payload) as AccountEvent));
  return {
    db: testDb.db,
    kind: testDb.kind,
    events,
    openOtherProcess: () => (testDb.kind === 'postgres' ? openDatabase({ url: testDatabaseUrl(testDb.name) }) : null),
    close: async () => (await stop(), await testDb.dispose()),
  };
}

/**
 * A ledger test file's usual setup: a fresh database, and Atlas Capital placing through the API
 * with no key; opened before the file's tests, closed after them.
 */
export function ledgerTestSuite(): { readonly t: LedgerTestDb; readonly ctx: LedgerContext } {
  const suite = {} as { t: LedgerTestDb; ctx: LedgerContext };
  beforeAll(async () => {
    suite.t = await openLedgerTestDb();
    suite.ctx = { accountId: await accountIdOf(suite.t.db, 'Atlas Capital'), apiKeyId: null, now: new Date() };
  });
  afterAll(() => suite.t.close());
  return suite;
}

/** Available and on-hold of one sub-account balance ('0' when the row does not exist). */
export async function balanceOf(
  db: Db,
  accountId: string,
  subAccount: string,
  currency: string,
): Promise<{ available: string; onHold: string }> {
  const [row] = await db
    .select({ available: balances.available, onHold: balances.onHold })
    .from(balances)
    .where(and(eq(balances.accountId, accountId), eq(balances.subAccount, subAccount), eq(balances.currency, currency)));
  return { available: trim(row?.available ?? '0'), onHold: trim(row?.onHold ?? '0') };
}

export async function walletOf(db: Db, accountId: string, currency: string): Promise<string> {
  const [row] = await db
    .select({ amount: walletBalances.amount })
    .from(walletBalances)
    .where(and(eq(walletBalances.accountId, accountId), eq(walletBalances.currency, currency)));
  return trim(row?.amount ?? '0');
}

/** numeric(38,18) text without trailing zeros: '1.500000000000000000' → '1.5'. */
export function trim(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

/** The LedgerError a ledger call is refused with (the test fails if it succeeds or throws something else). */
export async function refusal(promise: Promise<unknown>): Promise<LedgerError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LedgerError);
  return error as LedgerError;
}

/** Funds a new sub-account from the main account, so each test starts from known balances. */
export async function fundSubAccount(db: Db, ctx: LedgerContext, sub: string, currency: string, amount: string): Promise<string> {
  await internalTransfer(db, ctx, { subAccount: '', toSubAccount: sub, currency, amount, clientTxId: `fund-${sub}-${currency}` });
  return sub;
}

/** Resolves when this process hears that a balance of `accountId` changed (NOTIFY, through the event hub). */
export function balancesChangeHeard(accountId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = eventHub().onBalancesChanged((changed) => {
      if (changed !== accountId) return;
      stop();
      resolve();
    });
  });
}
