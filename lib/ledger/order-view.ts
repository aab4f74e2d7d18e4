import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { type orders, transactions } from '@/db/schema';
import { formatAmount } from './balances';
import { plain } from './decimal';

export type OrderRow = typeof orders.$inferSelect;
export interface OrderFee {
  amount: string;
  currency: string;
}
export type ExecutionType = 'New' | 'Trade' | 'Canceled' | 'Rejected' | 'Expired';

const amountOrNull = (value: string | null, currency: string) => (value === null ? null : formatAmount(value, currency));

/** An order as CEX.IO Prime reports it in get_my_orders. */
export function orderView(o: OrderRow, fee: OrderFee | null) {
  return {
    orderId: String(o.id),
    clientOrderId: o.clientOrderId,
    clientId: o.accountId,
    accountId: o.subAccount,
    status: o.status,
    statusIsFinal: o.status !== 'NEW',
    currency1: o.currency1,
    currency2: o.currency2,
    side: o.side,
    orderType: o.type,
    timeInForce: o.timeInForce,
    comment: o.comment,
    rejectCode: o.rejectCode,
    rejectReason: o.rejectReason,
    initialOnHoldAmountCcy1: o.heldCurrency === o.currency1 ? formatAmount(o.heldAmount, o.currency1) : null,
    initialOnHoldAmountCcy2: o.heldCurrency === o.currency2 ? formatAmount(o.heldAmount, o.currency2) : null,
    executedAmountCcy1: formatAmount(o.executedCcy1, o.currency1),
    executedAmountCcy2: formatAmount(o.executedCcy2, o.currency2),
    requestedAmountCcy1: amountOrNull(o.amountCcy1, o.currency1),
    requestedAmountCcy2: amountOrNull(o.amountCcy2, o.currency2),
    feeAmount: fee ? formatAmount(fee.amount, fee.currency) : null,
    feeCurrency: fee?.currency ?? null,
    price: o.price === null ? null : plain(o.price),
    stopPrice: o.stopPrice === null ? null : plain(o.stopPrice),
    averagePrice: o.averagePrice === null ? null : plain(o.averagePrice),
    serverCreateTimestamp: o.createdAt.getTime(),
    lastUpdateTimestamp: o.updatedAt.getTime(),
    expireTime: o.expireTime?.getTime() ?? null,
    effectiveTime: null,
  };
}

const EXECUTION_TYPE: Record<OrderRow['status'], ExecutionType> = {
  NEW: 'New',
  FILLED: 'Trade',
  CANCELLED: 'Canceled',
  REJECTED: 'Rejected',
  EXPIRED: 'Expired',
};
const executionTypeOf = (o: OrderRow): ExecutionType => EXECUTION_TYPE[o.status];

/** The executionReport message: the do_my_new_order reply and the WebSocket push. */
export function executionReport(o: OrderRow, fee: OrderFee | null, executionType: ExecutionType = executionTypeOf(o)) {
  const trade = executionType === 'Trade';
  return {
    messageType: 'executionReport',
    ...orderView(o, fee),
    executionType,
    executionId: `${o.id}-${executionType.toLowerCase()}`,
    transactTime: o.updatedAt.toISOString(),
    lastAmountCcy1: trade ? formatAmount(o.executedCcy1, o.currency1) : null,
    lastAmountCcy2: trade ? formatAmount(o.executedCcy2, o.currency2) : null,
  };
}

/** Fees charged on the given orders, from their commission rows in the transaction log. */
export async function feesOf(db: Db | Tx, accountId: string, orderIds: number[]): Promise<Map<number, OrderFee>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db
    .select({ orderId: transactions.orderId, currency: transactions.currency, amount: sql<string>`-sum(${transactions.amount})` })
    .from(transactions)
    .where(and(eq(transactions.accountId, accountId), eq(transactions.type, 'commission'), inArray(transactions.orderId, orderIds)))
    .groupBy(transactions.orderId, transactions.currency);
  return new Map(rows.map((r) => [Number(r.orderId), { amount: String(r.amount), currency: r.currency }]));
}

export async function reportOf(db: Db | Tx, o: OrderRow) {
  const fee = (await feesOf(db, o.accountId, [o.id])).get(o.id) ?? null;
  return executionReport(o, fee);
}
