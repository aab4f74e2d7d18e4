import Big from 'big.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { balances, walletBalances } from '@/db/schema';
import { CURRENCIES, isCurrency } from './market';

/** Trims trailing zeros of a numeric(38,18) for display, keeping the currency's precision. */
export function formatAmount(value: string, currency: string): string {
  const precision = isCurrency(currency) ? CURRENCIES[currency].precision : 8;
  return new Big(value).round(precision, Big.roundDown).toFixed(precision);
}

export interface SubAccountBalances {
  [currency: string]: { balance: string; balanceOnHold: string };
}

const balanceColumns = {
  subAccount: balances.subAccount,
  currency: balances.currency,
  available: balances.available,
  onHold: balances.onHold,
};

// The hot read of the API, prepared once per database handle (about half the cost per call).
const preparedAllBalances = new WeakMap<Db | Tx, ReturnType<typeof prepareAllBalances>>();
function prepareAllBalances(db: Db | Tx) {
  return db
    .select(balanceColumns)
    .from(balances)
    .where(eq(balances.accountId, sql.placeholder('accountId')))
    .orderBy(balances.subAccount, balances.currency)
    .prepare('all_balances_of_account');
}

/** Balances per sub-account ('' is the main account), as get_my_account_status_v3 reports them. */
export async function balancesPerAccount(
  db: Db | Tx,
  accountId: string,
  subAccounts?: string[],
): Promise<Record<string, SubAccountBalances>> {
  let rows: { subAccount: string; currency: string; available: string; onHold: string }[];
  if (subAccounts?.length) {
    rows = await db
      .select(balanceColumns)
      .from(balances)
      .where(and(eq(balances.accountId, accountId), inArray(balances.subAccount, subAccounts)))
      .orderBy(balances.subAccount, balances.currency);
  } else {
    let prepared = preparedAllBalances.get(db);
    if (!prepared) preparedAllBalances.set(db, (prepared = prepareAllBalances(db)));
    rows = await prepared.execute({ accountId });
  }
  const out: Record<string, SubAccountBalances> = {};
  for (const row of rows) {
    (out[row.subAccount] ??= {})[row.currency] = {
      balance: formatAmount(row.available, row.currency),
      balanceOnHold: formatAmount(row.onHold, row.currency),
    };
  }
  return out;
}

export async function walletBalancesOf(db: Db | Tx, accountId: string): Promise<Record<string, { balance: string }>> {
  const rows = await db
    .select({ currency: walletBalances.currency, amount: walletBalances.amount })
    .from(walletBalances)
    .where(eq(walletBalances.accountId, accountId))
    .orderBy(walletBalances.currency);
  return Object.fromEntries(rows.map((r) => [r.currency, { balance: formatAmount(r.amount, r.currency) }]));
}

/** Adds to a sub-account balance, creating the row (and so the sub-account) on first use. */
export async function credit(
  tx: Tx,
  accountId: string,
  subAccount: string,
  currency: string,
  amount: string,
  column: 'available' | 'onHold' = 'available',
): Promise<void> {
  const target = column === 'available' ? balances.available : balances.onHold;
  await tx
    .insert(balances)
    .values({ accountId, subAccount, currency, [column]: amount })
    .onConflictDoUpdate({
      target: [balances.accountId, balances.subAccount, balances.currency],
      set: { [column]: sql`${target} + ${amount}` },
    });
}

/**
 * Takes from a sub-account balance only if enough is there; returns false (and changes nothing)
 * otherwise. The check and the update are one statement, so concurrent spends cannot overdraw.
 */
export async function debit(
  tx: Tx,
  accountId: string,
  subAccount: string,
  currency: string,
  amount: string,
  column: 'available' | 'onHold' = 'available',
): Promise<boolean> {
  const target = column === 'available' ? balances.available : balances.onHold;
  const rows = await tx
    .update(balances)
    .set({ [column]: sql`${target} - ${amount}` })
    .where(
      and(
        eq(balances.accountId, accountId),
        eq(balances.subAccount, subAccount),
        eq(balances.currency, currency),
        sql`${target} >= ${amount}`,
      ),
    )
    .returning({ currency: balances.currency });
  return rows.length === 1;
}

export async function creditWallet(tx: Tx, accountId: string, currency: string, amount: string): Promise<void> {
  await tx
    .insert(walletBalances)
    .values({ accountId, currency, amount })
    .onConflictDoUpdate({
      target: [walletBalances.accountId, walletBalances.currency],
      set: { amount: sql`${walletBalances.amount} + ${amount}` },
    });
}

export async function debitWallet(tx: Tx, accountId: string, currency: string, amount: string): Promise<boolean> {
  const rows = await tx
    .update(walletBalances)
    .set({ amount: sql`${walletBalances.amount} - ${amount}` })
    .where(and(eq(walletBalances.accountId, accountId), eq(walletBalances.currency, currency), sql`${walletBalances.amount} >= ${amount}`))
    .returning({ currency: walletBalances.currency });
  return rows.length === 1;
}
