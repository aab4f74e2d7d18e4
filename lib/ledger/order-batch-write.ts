import Big from 'big.js';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { balances, orders, transactions } from '@/db/schema';
import { answerRows, type StoredResponse } from '@/db/queries/replay-claims';
import { accountEventsNotice, type AccountEvent } from '@/lib/platform/events';
import { plain } from './decimal';
import { pairName } from './market';
import { accountUpdate, type BalanceCause } from './notify';
import { REJECT_CODES, type BalanceRow, type Decision, type NewOrder, type OrderRequest } from './order-decisions';
import { executionReport, type OrderRow } from './order-view';

/**
 * What a batch of orders writes once it is decided (./order-placement.ts): each order's row, the
 * trade log, the events it pushes, and the one statement that writes them all with the balances'
 * changes.
 */

export type OrderReport = ReturnType<typeof executionReport>;

/** A decision that places an order: executed (filled, held, or expired), or rejected with a code. */
export type Placing = Extract<Decision, { kind: 'execute' | 'reject' }>;

export const timeInForceOf = (input: NewOrder) =>
  input.orderType === 'Market' ? (input.timeInForce ?? 'IOC') : (input.timeInForce ?? 'GTC');

/** What became of an order: the columns its decision sets. */
type Outcome = Pick<
  OrderRow,
  | 'currency1'
  | 'currency2'
  | 'status'
  | 'price'
  | 'executedCcy1'
  | 'executedCcy2'
  | 'averagePrice'
  | 'heldCurrency'
  | 'heldAmount'
  | 'rejectCode'
  | 'rejectReason'
>;

function outcomeOf(input: NewOrder, decision: Placing): Outcome {
  if (decision.kind === 'reject') {
    return {
      currency1: input.currency1,
      currency2: input.currency2,
      status: 'REJECTED',
      price: input.price ?? null,
      executedCcy1: '0',
      executedCcy2: '0',
      averagePrice: null,
      heldCurrency: null,
      heldAmount: '0',
      rejectCode: REJECT_CODES[decision.rejection.code],
      rejectReason: decision.rejection.message,
    };
  }
  const { pair, fill, complete, hold } = decision.plan;
  return {
    currency1: pair.base,
    currency2: pair.quote,
    status: fill ? (complete ? 'FILLED' : 'EXPIRED') : hold ? 'NEW' : 'EXPIRED',
    price: input.orderType === 'Market' ? null : (input.price ?? null),
    executedCcy1: fill?.base ?? '0',
    executedCcy2: fill?.quote ?? '0',
    averagePrice: fill?.averagePrice ?? null,
    heldCurrency: hold?.currency ?? null,
    heldAmount: hold?.amount ?? '0',
    rejectCode: null,
    rejectReason: null,
  };
}

/**
 * The row an order is stored as, every column: what was asked, and what became of it. One
 * literal, not the asked columns spread into the decided ones: on Node 20's V8 an object spread
 * followed by new properties costs ~50 µs here (each added property rebuilds the object's shape).
 */
export function orderRow(id: number, { ctx, input }: OrderRequest, decision: Placing): OrderRow {
  const outcome = outcomeOf(input, decision);
  return {
    id,
    accountId: ctx.accountId,
    subAccount: input.subAccount,
    apiKeyId: ctx.apiKeyId,
    clientOrderId: input.clientOrderId,
    side: input.side,
    type: input.orderType,
    timeInForce: timeInForceOf(input),
    expireTime: input.expireTime ?? null,
    stopPrice: input.stopPrice ?? null,
    comment: input.comment ?? null,
    amountCcy1: input.amountCcy1 ?? null,
    amountCcy2: input.amountCcy2 ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    currency1: outcome.currency1,
    currency2: outcome.currency2,
    status: outcome.status,
    price: outcome.price,
    executedCcy1: outcome.executedCcy1,
    executedCcy2: outcome.executedCcy2,
    averagePrice: outcome.averagePrice,
    heldCurrency: outcome.heldCurrency,
    heldAmount: outcome.heldAmount,
    rejectCode: outcome.rejectCode,
    rejectReason: outcome.rejectReason,
  };
}

/** An order as the JSON jsonb_populate_recordset(null::orders, …) reads: keyed by column name. */
const ORDER_COLUMNS = Object.entries(getTableColumns(orders)).map(([key, column]) => [key as keyof OrderRow, column.name] as const);
const orderRecord = (row: OrderRow) => Object.fromEntries(ORDER_COLUMNS.map(([key, name]) => [name, row[key]]));

/** A trade-log entry as jsonb_populate_recordset(null::transactions, …) reads it. */
interface TradeEntry {
  account_id: string;
  sub_account: string;
  type: 'trade' | 'commission';
  currency: string;
  amount: string;
  order_id: number;
  details: string;
  created_at: Date;
}

/** The trade log: per fill, what was paid and received, and the fee. */
export function tradesOf(
  accountId: string,
  placing: number[],
  requests: OrderRequest[],
  decisions: Decision[],
  placed: Map<number, OrderRow>,
) {
  return placing.flatMap((i): TradeEntry[] => {
    const decision = decisions[i];
    if (decision.kind !== 'execute' || !decision.plan.fill) return [];
    const { input, ctx } = requests[i];
    const { fill, pair } = decision.plan;
    const orderId = placed.get(i)!.id;
    const details = `${input.side} ${fill.base} ${pairName(pair)} at ${fill.averagePrice} (order ${orderId})`;
    const entry = (type: TradeEntry['type'], currency: string, amount: string): TradeEntry => ({
      account_id: accountId,
      sub_account: input.subAccount,
      type,
      currency,
      amount,
      order_id: orderId,
      details,
      created_at: ctx.now,
    });
    return [
      entry('trade', fill.pay.currency, `-${fill.pay.amount}`),
      entry('trade', fill.receive.currency, fill.receive.amount),
      ...(new Big(fill.fee.amount).gt(0) ? [entry('commission', fill.fee.currency, `-${fill.fee.amount}`)] : []),
    ];
  });
}

/**
 * Everything the batch decided, in one statement whose text never changes: the orders; each
 * balance row's net change — the locked rows updated, the rows it creates (credits only: a row
 * that did not exist could not be debited) upserted, where PostgreSQL checks a row's CHECK
 * constraint before ON CONFLICT, so a negative change cannot go through; the trade log; the
 * answers API calls' retries get (on the claims the batch made); and the events, in order.
 */
export function writeBatch(
  accountId: string,
  placed: OrderRow[],
  rows: Map<string, BalanceRow>,
  trades: TradeEntry[],
  events: AccountEvent[],
  answers: { id: string; response: StoredResponse }[],
): SQL {
  const changed = [...rows.values()].filter((r) => !r.deltaAvailable.eq(0) || !r.deltaOnHold.eq(0));
  const change = (r: BalanceRow) => ({ s: r.subAccount, c: r.currency, a: plain(r.deltaAvailable), h: plain(r.deltaOnHold) });
  const updates = JSON.stringify(changed.filter((r) => r.existed).map(change));
  const created = JSON.stringify(changed.filter((r) => !r.existed).map(change));
  return sql`
    with placed as (
      -- A clientOrderId taken (a retry, or another process's order meanwhile) fails the statement
      -- with a unique violation: the transaction rolls back whole (isClientOrderIdTaken).
      insert into ${orders} overriding system value
      select * from jsonb_populate_recordset(null::${orders}, ${JSON.stringify(placed.map(orderRecord))}::jsonb)
    ), moved as (
      update ${balances} set available = ${balances.available} + v.a, on_hold = ${balances.onHold} + v.h
      from jsonb_to_recordset(${updates}::jsonb) as v(s text, c text, a numeric, h numeric)
      where ${balances.accountId} = ${accountId}::uuid and ${balances.subAccount} = v.s and ${balances.currency} = v.c
    ), opened as (
      insert into ${balances} (account_id, sub_account, currency, available, on_hold)
      select ${accountId}::uuid, v.s, v.c, v.a, v.h from jsonb_to_recordset(${created}::jsonb) as v(s text, c text, a numeric, h numeric)
      on conflict (account_id, sub_account, currency)
      do update set available = ${balances.available} + excluded.available, on_hold = ${balances.onHold} + excluded.on_hold
    ), logged as (
      insert into ${transactions} (account_id, sub_account, type, currency, amount, order_id, details, created_at)
      select account_id, sub_account, type, currency, amount, order_id, details, created_at
      from jsonb_populate_recordset(null::${transactions}, ${JSON.stringify(trades)}::jsonb)
    ), answered as (${answerRows(answers)})
    select count(*)::int as sent from (${accountEventsNotice(events)}) as sent`;
}

/**
 * What one placed order pushes, in CEX.IO's order: the balances it changed (as they stood right
 * after it), then its execution reports — an order that executes at once is reported accepted
 * (New) before its fill (Trade), and an immediate order's unfilled rest as Expired after it.
 */
export function eventsOf(accountId: string, { ctx, input }: OrderRequest, decision: Decision, row: OrderRow) {
  const pushed: AccountEvent[] = [];
  const fee = decision.kind === 'execute' ? (decision.plan.fill?.fee ?? null) : null;
  if (decision.kind === 'execute' && decision.moves.length > 0) {
    const cause: BalanceCause = { action: decision.plan.fill ? 'trade' : 'orderHold', id: String(row.id) };
    const { fill, pair } = decision.plan;
    for (const currency of fill ? [pair.base, pair.quote] : [...decision.snapshots.keys()]) {
      const { available, onHold } = decision.snapshots.get(currency)!;
      pushed.push(accountUpdate(accountId, input.subAccount, currency, plain(available), plain(onHold), ctx.now, cause));
    }
  }
  const report = (data: OrderReport): AccountEvent => ({ accountId, e: 'executionReport', data });
  if (row.status !== 'NEW' && row.status !== 'REJECTED') {
    pushed.push(report(executionReport({ ...row, status: 'NEW', executedCcy1: '0', executedCcy2: '0', averagePrice: null }, null, 'New')));
  }
  if (decision.kind === 'execute' && decision.plan.fill && !decision.plan.complete) pushed.push(report(executionReport(row, fee, 'Trade')));
  const final = executionReport(row, fee);
  pushed.push(report(final));
  return { report: final, pushed };
}
