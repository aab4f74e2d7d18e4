import Big from 'big.js';
import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type CommitWith, type Tx } from '@/db/client';
import { balances, orders, transactions } from '@/db/schema';
import { accountEventsNotice, type AccountEvent } from '@/lib/platform/events';
import { settledError, settledValue, type Settled } from '@/lib/platform/group-commit';
import { plain } from './decimal';
import { pairName } from './market';
import { accountUpdate, type BalanceCause } from './notify';
import {
  balanceKey,
  decide,
  movesOf,
  REJECT_CODES,
  type BalanceRow,
  type Decision,
  type NewOrder,
  type OrderRequest,
} from './order-decisions';
import { executionReport, reportOf, type OrderRow } from './order-view';

export type OrderReport = ReturnType<typeof executionReport>;
export interface Placed {
  report: OrderReport;
  duplicate: boolean;
}

/** The batch's write failed on a clientOrderId already taken: PostgreSQL's unique violation of orders_client_id_uq. */
export function isClientOrderIdTaken(error: unknown): boolean {
  // Drizzle wraps the driver's error (cause); postgres.js names the constraint constraint_name, PGlite constraint.
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const { code, constraint_name, constraint } = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (code === '23505') return (constraint_name ?? constraint) === 'orders_client_id_uq';
  }
  return false;
}

/**
 * Places a batch of one account's orders in the caller's transaction, as if one after another in
 * arrival order: the balances they touch are locked once (in a fixed order, as every ledger writer
 * locks them), each order is checked against what the ones before it left, and everything the
 * batch decided — orders, balance changes, the trade log, the events — is written by one
 * statement. On PostgreSQL two round trips whatever the batch's size: `tx` is a
 * pipelinedTransaction, its BEGIN sent with the reads and its COMMIT right behind the write (a
 * retry's original is reported after it, from committed rows).
 *
 * A clientOrderId used before is rare (a bot's retry), so the orders are not looked up first
 * unless `lookUpKnown`: the write then fails on the taken one (isClientOrderIdTaken), the batch
 * rolls back, and the caller runs it again with the look-up, which answers it with the original.
 */
export async function placeBatch(
  tx: Tx,
  commit: CommitWith,
  accountId: string,
  requests: OrderRequest[],
  lookUpKnown: boolean,
): Promise<Settled<Placed>[]> {
  // Statements that do not need each other's results are sent together: on PostgreSQL they are
  // pipelined on the transaction's connection, one round trip for them all.
  const [known, rows, ids] = await Promise.all([
    lookUpKnown ? knownOrders(tx, accountId, requests) : new Map<string, OrderRow>(),
    lockBalances(tx, accountId, requests),
    newOrderIds(tx, requests.length),
  ]);
  const decisions = decide(requests, known, rows);

  const placing = decisions.flatMap((d, i) => (d.kind === 'execute' || d.kind === 'reject' ? [i] : []));
  const placed = new Map<number, OrderRow>();
  placing.forEach((i, n) => placed.set(i, orderRow(ids[n], requests[i], decisions[i] as Placing)));

  const events: AccountEvent[] = [];
  const reports = new Map<number, OrderReport>();
  for (const i of placing) {
    const { report, pushed } = eventsOf(accountId, requests[i], decisions[i], placed.get(i)!);
    reports.set(i, report);
    events.push(...pushed);
  }
  await commit(writeBatch(accountId, [...placed.values()], rows, tradesOf(accountId, placing, requests, decisions, placed), events));

  return Promise.all(
    decisions.map(async (d, i): Promise<Settled<Placed>> => {
      if (d.kind === 'error') return settledError(d.error);
      if (d.kind === 'known') return settledValue({ report: await reportOf(tx, d.row), duplicate: true });
      if (d.kind === 'same-as') return settledValue({ report: reports.get(d.index)!, duplicate: true });
      return settledValue({ report: reports.get(i)!, duplicate: false });
    }),
  );
}

type Placing = Extract<Decision, { kind: 'execute' | 'reject' }>;

/**
 * Ids for the batch's new orders, taken from the orders' own sequence before the write, so that
 * one statement can write an order together with the trade log and events that name it. An id
 * left unused (a retry, a malformed order) is a gap, as a rolled-back insert leaves one.
 */
async function newOrderIds(tx: Tx, count: number): Promise<number[]> {
  const result = await tx.execute(sql`select nextval(pg_get_serial_sequence('orders', 'id')) as id from generate_series(1, ${count}::int)`);
  return rowsOf<{ id: string | number | bigint }>(result).map((row) => Number(row.id));
}

/** Orders already placed under the batch's clientOrderIds: a retry gets the original. */
async function knownOrders(tx: Tx, accountId: string, requests: OrderRequest[]): Promise<Map<string, OrderRow>> {
  const ids = [...new Set(requests.map((r) => r.input.clientOrderId))];
  const rows = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.accountId, accountId), inArray(orders.clientOrderId, ids)));
  return new Map(rows.map((row) => [row.clientOrderId, row]));
}

/** Locks the existing balance rows the batch may touch, in the ledger's lock order. */
async function lockBalances(tx: Tx, accountId: string, requests: OrderRequest[]): Promise<Map<string, BalanceRow>> {
  const touched = requests.flatMap(({ plan, input }) => (plan.kind === 'execute' ? movesOf(plan, input.subAccount) : []));
  const result = new Map<string, BalanceRow>();
  if (touched.length === 0) return result;
  const locked = await tx
    .select({ subAccount: balances.subAccount, currency: balances.currency, available: balances.available, onHold: balances.onHold })
    .from(balances)
    .where(
      and(
        eq(balances.accountId, accountId),
        inArray(balances.subAccount, [...new Set(touched.map((m) => m.subAccount))]),
        inArray(balances.currency, [...new Set(touched.map((m) => m.currency))]),
      ),
    )
    // Byte order, as lib/ledger/moves.ts sorts its rows: every writer locks rows in one order.
    .orderBy(sql`${balances.subAccount} collate "C"`, sql`${balances.currency} collate "C"`)
    .for('update');
  const zero = new Big(0);
  for (const r of locked) {
    result.set(balanceKey(r.subAccount, r.currency), {
      existed: true,
      subAccount: r.subAccount,
      currency: r.currency,
      available: new Big(r.available),
      onHold: new Big(r.onHold),
      deltaAvailable: zero,
      deltaOnHold: zero,
    });
  }
  // A row that does not exist yet holds nothing: it can be credited (created on write), not debited.
  for (const m of touched) {
    const key = balanceKey(m.subAccount, m.currency);
    if (!result.has(key)) {
      result.set(key, {
        existed: false,
        subAccount: m.subAccount,
        currency: m.currency,
        available: zero,
        onHold: zero,
        deltaAvailable: zero,
        deltaOnHold: zero,
      });
    }
  }
  return result;
}

export const timeInForceOf = (input: NewOrder) =>
  input.orderType === 'Market' ? (input.timeInForce ?? 'IOC') : (input.timeInForce ?? 'GTC');

/** The row an order is stored as, every column: what was asked, and what became of it. */
function orderRow(id: number, { ctx, input }: OrderRequest, decision: Placing): OrderRow {
  const asked = {
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
  };
  if (decision.kind === 'reject') {
    return {
      ...asked,
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
    ...asked,
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
function tradesOf(accountId: string, placing: number[], requests: OrderRequest[], decisions: Decision[], placed: Map<number, OrderRow>) {
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
 * constraint before ON CONFLICT, so a negative change cannot go through; the trade log; and the
 * events, in order.
 */
function writeBatch(
  accountId: string,
  placed: OrderRow[],
  rows: Map<string, BalanceRow>,
  trades: TradeEntry[],
  events: AccountEvent[],
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
    )
    select count(*)::int as sent from (${accountEventsNotice(events)}) as sent`;
}

/**
 * What one placed order pushes, in CEX.IO's order: the balances it changed (as they stood right
 * after it), then its execution reports — an order that executes at once is reported accepted
 * (New) before its fill (Trade), and an immediate order's unfilled rest as Expired after it.
 */
function eventsOf(accountId: string, { ctx, input }: OrderRequest, decision: Decision, row: OrderRow) {
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
