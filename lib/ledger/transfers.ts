import Big from 'big.js';
import { and, countDistinct, eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { balances, fundings, transactions } from '@/db/schema';
import { LedgerError } from './errors';
import { isValidAddress, resolveBlockchain } from './addresses';
import { checkPrecision } from './decimal';
import { CURRENCIES, isCurrency } from './market';
import { applyMovesOrThrow } from './moves';
import { ledgerTransaction } from './balance-cache';
import { notifyBalances } from './notify';
import type { LedgerContext } from './orders';

/**
 * Moves of funds: between sub-accounts ('' is the main account; a sub-account exists once it has
 * received funds), between a sub-account and the account's wallet, and out to an external address
 * (recorded as pending). Each is one database transaction with its `fundings` row, its
 * `transactions` rows and its balance events; `clientTxId` makes a retry return the original.
 */
export type FundingRow = typeof fundings.$inferSelect;
type FundingType = FundingRow['type'];
type Touched = Array<readonly [subAccount: string, currency: string]>;

export const MAX_SUB_ACCOUNTS = 100;

/** Where an external withdrawal goes (stored as `blockchain:address` in the counterparty). */
export function withdrawalTarget(f: FundingRow): { blockchain: string; address: string } | null {
  const at = f.type === 'withdrawal' && f.counterparty ? f.counterparty.indexOf(':') : -1;
  return at === -1 ? null : { blockchain: f.counterparty!.slice(0, at), address: f.counterparty!.slice(at + 1) };
}

interface Move {
  subAccount: string;
  currency: string;
  amount: string;
  clientTxId: string;
}

function checkCurrency(currency: string, amount: string): void {
  if (!isCurrency(currency)) throw new LedgerError('invalid', `currency: unknown currency ${currency.slice(0, 16)}`);
  checkPrecision('amount', amount, currency);
}

async function findFunding(db: Db | Tx, accountId: string, clientTxId: string): Promise<FundingRow | undefined> {
  const [row] = await db
    .select()
    .from(fundings)
    .where(and(eq(fundings.accountId, accountId), eq(fundings.clientTxId, clientTxId)));
  return row;
}

function duplicateOf(row: FundingRow, type: FundingType): { funding: FundingRow; duplicate: true } {
  if (row.type !== type) throw new LedgerError('conflict', `clientTxId was already used for a ${row.type}`);
  return { funding: row, duplicate: true };
}

/** Creating a sub-account (its first credit) is refused once the account has MAX_SUB_ACCOUNTS. */
async function ensureSubAccountRoom(tx: Tx, accountId: string, subAccount: string): Promise<void> {
  if (subAccount === '') return;
  const [exists] = await tx
    .select({ one: balances.currency })
    .from(balances)
    .where(and(eq(balances.accountId, accountId), eq(balances.subAccount, subAccount)))
    .limit(1);
  if (exists) return;
  const [{ n }] = await tx
    .select({ n: countDistinct(balances.subAccount) })
    .from(balances)
    .where(eq(balances.accountId, accountId));
  if (n >= MAX_SUB_ACCOUNTS) throw new LedgerError('limit_reached', `Sub-account limit of ${MAX_SUB_ACCOUNTS} reached`);
}

/**
 * Records one funding idempotently and applies its balance moves in the same transaction. Two
 * racing requests with one clientTxId: the unique index admits one; the other returns its row.
 */
async function recordFunding(
  db: Db,
  ctx: LedgerContext,
  values: Move & { type: FundingType; counterparty: string | null; status: 'approved' | 'pending' },
  apply: (tx: Tx, funding: FundingRow) => Promise<Touched>,
): Promise<{ funding: FundingRow; duplicate: boolean }> {
  const known = await findFunding(db, ctx.accountId, values.clientTxId);
  if (known) return duplicateOf(known, values.type);
  return ledgerTransaction(db, ctx.accountId, async (tx) => {
    const [row] = await tx
      .insert(fundings)
      .values({
        accountId: ctx.accountId,
        subAccount: values.subAccount,
        type: values.type,
        currency: values.currency,
        amount: values.amount,
        counterparty: values.counterparty,
        status: values.status,
        clientTxId: values.clientTxId,
        createdAt: ctx.now,
      })
      .onConflictDoNothing({ target: [fundings.accountId, fundings.clientTxId] })
      .returning();
    if (!row) {
      const original = await findFunding(tx, ctx.accountId, values.clientTxId);
      if (!original) throw new LedgerError('conflict', 'clientTxId is in use by a concurrent request; retry');
      return duplicateOf(original, values.type);
    }
    await notifyBalances(tx, ctx.accountId, await apply(tx, row), ctx.now, { action: row.type, id: String(row.id) });
    return { funding: row, duplicate: false };
  });
}

const logRow = (ctx: LedgerContext, m: Move, type: FundingType, amount: string, details: string) => ({
  accountId: ctx.accountId,
  subAccount: m.subAccount,
  type,
  currency: m.currency,
  amount,
  clientTxId: m.clientTxId,
  details,
  createdAt: ctx.now,
});

/** From one sub-account to another (either may be the main account ''). */
export async function internalTransfer(db: Db, ctx: LedgerContext, m: Move & { toSubAccount: string }) {
  checkCurrency(m.currency, m.amount);
  if (m.subAccount === m.toSubAccount) throw new LedgerError('invalid', 'toAccountId: must differ from fromAccountId');
  return recordFunding(db, ctx, { ...m, type: 'internalTransfer', counterparty: m.toSubAccount, status: 'approved' }, async (tx) => {
    await ensureSubAccountRoom(tx, ctx.accountId, m.toSubAccount);
    await applyMovesOrThrow(tx, ctx.accountId, [
      { on: 'balance', op: 'debit', subAccount: m.subAccount, currency: m.currency, amount: m.amount },
      { on: 'balance', op: 'credit', subAccount: m.toSubAccount, currency: m.currency, amount: m.amount },
    ]);
    const to: Move = { ...m, subAccount: m.toSubAccount };
    await tx
      .insert(transactions)
      .values([
        logRow(ctx, m, 'internalTransfer', `-${m.amount}`, `Transfer to sub-account '${m.toSubAccount}'`),
        logRow(ctx, to, 'internalTransfer', m.amount, `Transfer from sub-account '${m.subAccount}'`),
      ]);
    return [
      [m.subAccount, m.currency],
      [m.toSubAccount, m.currency],
    ];
  });
}

/** From the account's wallet into a sub-account. */
export async function depositFromWallet(db: Db, ctx: LedgerContext, m: Move) {
  checkCurrency(m.currency, m.amount);
  return recordFunding(db, ctx, { ...m, type: 'walletDeposit', counterparty: 'wallet', status: 'approved' }, async (tx) => {
    await ensureSubAccountRoom(tx, ctx.accountId, m.subAccount);
    await applyMovesOrThrow(tx, ctx.accountId, [
      { on: 'wallet', op: 'debit', currency: m.currency, amount: m.amount },
      { on: 'balance', op: 'credit', subAccount: m.subAccount, currency: m.currency, amount: m.amount },
    ]);
    await tx.insert(transactions).values(logRow(ctx, m, 'walletDeposit', m.amount, 'Deposit from wallet'));
    return [[m.subAccount, m.currency]];
  });
}

/** From a sub-account back to the account's wallet. */
export async function withdrawToWallet(db: Db, ctx: LedgerContext, m: Move) {
  checkCurrency(m.currency, m.amount);
  return recordFunding(db, ctx, { ...m, type: 'walletWithdrawal', counterparty: 'wallet', status: 'approved' }, async (tx) => {
    await applyMovesOrThrow(tx, ctx.accountId, [
      { on: 'balance', op: 'debit', subAccount: m.subAccount, currency: m.currency, amount: m.amount },
      { on: 'wallet', op: 'credit', currency: m.currency, amount: m.amount },
    ]);
    await tx.insert(transactions).values(logRow(ctx, m, 'walletWithdrawal', `-${m.amount}`, 'Withdrawal to wallet'));
    return [[m.subAccount, m.currency]];
  });
}

/** To an external address: the funds leave the sub-account now; the withdrawal stays pending. */
export async function externalWithdrawal(db: Db, ctx: LedgerContext, m: Move & { blockchain?: string; address: string }) {
  checkCurrency(m.currency, m.amount);
  const blockchain = resolveBlockchain(m.currency, m.blockchain);
  const minimum = isCurrency(m.currency) ? CURRENCIES[m.currency].minWithdrawal : null;
  if (minimum !== null && new Big(m.amount).lt(minimum))
    throw new LedgerError('invalid', `amount: the minimum withdrawal is ${minimum} ${m.currency}`);
  if (!isValidAddress(blockchain, m.address)) throw new LedgerError('invalid', `address: not a valid ${blockchain} address`);
  const address = m.address;
  return recordFunding(db, ctx, { ...m, type: 'withdrawal', counterparty: `${blockchain}:${address}`, status: 'pending' }, async (tx) => {
    await applyMovesOrThrow(tx, ctx.accountId, [
      { on: 'balance', op: 'debit', subAccount: m.subAccount, currency: m.currency, amount: m.amount },
    ]);
    await tx
      .insert(transactions)
      .values(logRow(ctx, m, 'withdrawal', `-${m.amount}`, `Withdrawal to ${blockchain} address ${address} (pending)`));
    return [[m.subAccount, m.currency]];
  });
}
