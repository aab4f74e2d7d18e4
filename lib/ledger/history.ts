import Big from 'big.js';
import { and, asc, desc, eq, gte, inArray, lte, ne, not, or, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { fundings, orders, transactions } from '@/db/schema';
import { formatAmount } from './balances';
import { findPair } from './market';
import { feesOf, orderView } from './order-view';
import { withdrawalTarget, type FundingRow } from './transfers';

/** Read side of the ledger: orders, the transaction log, fundings and traded volume. */
export interface Page {
  pageSize: number;
  pageNumber: number;
  sortOrder: 'ASC' | 'DESC';
}

export interface HistoryFilter extends Page {
  subAccount?: string;
  currency?: string;
  dateFrom?: Date;
  dateTo?: Date;
}

const between = (column: Column, from?: Date, to?: Date): SQL[] => [...(from ? [gte(column, from)] : []), ...(to ? [lte(column, to)] : [])];
const paged = (p: Page) => ({ limit: p.pageSize, offset: (p.pageNumber - 1) * p.pageSize });

export interface OrderFilter extends HistoryFilter {
  orderId?: number;
  clientOrderId?: string;
  currency1?: string;
  currency2?: string;
  side?: 'BUY' | 'SELL';
  /** true: final orders only; false: resting orders only; absent: resting, unless an id is given. */
  archived?: boolean;
}

export async function listOrders(db: Db, accountId: string, f: OrderFilter) {
  const byId = f.orderId !== undefined || f.clientOrderId !== undefined;
  const archived = f.archived ?? (byId ? undefined : false);
  const where = and(
    eq(orders.accountId, accountId),
    f.subAccount !== undefined ? eq(orders.subAccount, f.subAccount) : undefined,
    f.orderId !== undefined ? eq(orders.id, f.orderId) : undefined,
    f.clientOrderId !== undefined ? eq(orders.clientOrderId, f.clientOrderId) : undefined,
    f.currency1 !== undefined ? eq(orders.currency1, f.currency1) : undefined,
    f.currency2 !== undefined ? eq(orders.currency2, f.currency2) : undefined,
    f.currency !== undefined ? or(eq(orders.currency1, f.currency), eq(orders.currency2, f.currency)) : undefined,
    f.side !== undefined ? eq(orders.side, f.side) : undefined,
    archived === undefined ? undefined : archived ? ne(orders.status, 'NEW') : eq(orders.status, 'NEW'),
    ...between(orders.createdAt, f.dateFrom, f.dateTo),
  );
  const order = f.sortOrder === 'ASC' ? [asc(orders.createdAt), asc(orders.id)] : [desc(orders.createdAt), desc(orders.id)];
  const { limit, offset } = paged(f);
  const rows = await db
    .select()
    .from(orders)
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  const fees = await feesOf(
    db,
    accountId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => orderView(r, fees.get(r.id) ?? null));
}

export async function transactionHistory(
  db: Db,
  accountId: string,
  f: HistoryFilter & { types?: (typeof transactions.type.enumValues)[number][] },
) {
  const where = and(
    eq(transactions.accountId, accountId),
    f.subAccount !== undefined ? eq(transactions.subAccount, f.subAccount) : undefined,
    f.currency !== undefined ? eq(transactions.currency, f.currency) : undefined,
    f.types !== undefined ? inArray(transactions.type, f.types) : undefined,
    ...between(transactions.createdAt, f.dateFrom, f.dateTo),
  );
  const order =
    f.sortOrder === 'ASC' ? [asc(transactions.createdAt), asc(transactions.id)] : [desc(transactions.createdAt), desc(transactions.id)];
  const rows = await db
    .select()
    .from(transactions)
    .where(where)
    .orderBy(...order)
    .limit(paged(f).limit)
    .offset(paged(f).offset);
  return rows.map((t) => ({
    transactionId: String(t.id),
    timestamp: t.createdAt.toISOString(),
    accountId: t.subAccount,
    type: t.type,
    amount: formatAmount(t.amount, t.currency),
    details: t.details,
    currency: t.currency,
    orderId: t.orderId === null ? null : String(t.orderId),
    clientTxId: t.clientTxId,
  }));
}

/** A funding as seen from one sub-account: an internal transfer is a withdraw for one side, a deposit for the other. */
function fundingView(f: FundingRow, perspective: string = f.subAccount) {
  const incoming =
    f.type === 'walletDeposit' || (f.type === 'internalTransfer' && perspective === f.counterparty && perspective !== f.subAccount);
  return {
    txId: String(f.id),
    clientTxId: f.clientTxId,
    clientId: f.accountId,
    accountId: f.type === 'internalTransfer' && incoming ? f.counterparty : f.subAccount,
    type: f.type,
    direction: incoming ? 'deposit' : 'withdraw',
    currency: f.currency,
    amount: formatAmount(f.amount, f.currency),
    commissionAmount: formatAmount('0', f.currency),
    status: f.status,
    ...(f.type === 'internalTransfer' ? { fromAccountId: f.subAccount, toAccountId: f.counterparty } : {}),
    ...(f.type === 'withdrawal' ? { blockchain: null, address: null, ...withdrawalTarget(f) } : {}),
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.createdAt.toISOString(),
  };
}

/** The SQL twin of fundingView's `direction`: a deposit as seen from `perspective` (a sub-account, or each row's own). */
function isDeposit(perspective: string | undefined): SQL {
  const transferIn =
    perspective === undefined
      ? sql`false`
      : and(eq(fundings.type, 'internalTransfer'), eq(fundings.counterparty, perspective), ne(fundings.subAccount, perspective))!;
  return or(eq(fundings.type, 'walletDeposit'), transferIn)!;
}

export async function fundingHistory(
  db: Db,
  accountId: string,
  f: HistoryFilter & { type?: FundingRow['type']; direction?: 'deposit' | 'withdraw' },
) {
  const sub = f.subAccount;
  const where = and(
    eq(fundings.accountId, accountId),
    sub !== undefined
      ? or(eq(fundings.subAccount, sub), and(eq(fundings.type, 'internalTransfer'), eq(fundings.counterparty, sub)))
      : undefined,
    f.currency !== undefined ? eq(fundings.currency, f.currency) : undefined,
    f.type !== undefined ? eq(fundings.type, f.type) : undefined,
    f.direction === undefined ? undefined : f.direction === 'deposit' ? isDeposit(sub) : not(isDeposit(sub)),
    ...between(fundings.createdAt, f.dateFrom, f.dateTo),
  );
  const order = f.sortOrder === 'ASC' ? [asc(fundings.createdAt), asc(fundings.id)] : [desc(fundings.createdAt), desc(fundings.id)];
  const rows = await db
    .select()
    .from(fundings)
    .where(where)
    .orderBy(...order)
    .limit(paged(f).limit)
    .offset(paged(f).offset);
  return rows.map((r) => fundingView(r, sub));
}

/** USD value of one unit of a currency, from the demo book's mid prices (null if no route). */
export function usdRate(currency: string): Big | null {
  if (currency === 'USD') return new Big(1);
  const direct = findPair(currency, 'USD');
  if (direct) return new Big(direct.mid);
  const viaBtc = findPair('BTC', currency);
  const btcUsd = findPair('BTC', 'USD');
  return viaBtc && btcUsd ? new Big(btcUsd.mid).div(viaBtc.mid) : null;
}

export const VOLUME_PERIOD_DAYS = 30;

/** Traded (filled, in whole or part) volume of the last 30 days in USD, valued at the demo mid prices. */
export async function tradedVolumeUsd(db: Db, accountId: string, now: Date): Promise<string> {
  const since = new Date(now.getTime() - VOLUME_PERIOD_DAYS * 86_400_000);
  const rows = await db
    .select({ currency: orders.currency2, total: sql<string>`sum(${orders.executedCcy2})` })
    .from(orders)
    .where(and(eq(orders.accountId, accountId), sql`${orders.executedCcy1} > 0`, gte(orders.createdAt, since), lte(orders.createdAt, now)))
    .groupBy(orders.currency2);
  const total = rows.reduce((sum, r) => sum.plus(new Big(String(r.total ?? '0')).times(usdRate(r.currency) ?? 0)), new Big(0));
  return total.round(2, Big.roundHalfUp).toFixed(2);
}
