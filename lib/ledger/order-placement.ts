import Big from 'big.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { balances, orders, transactions } from '@/db/schema';
import { notifyAccountEvents, type AccountEvent } from '@/lib/platform/events';
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

/** Thrown inside the batch's transaction when another process took one of its clientOrderIds. */
export class ClientOrderIdTaken extends Error {}

/**
 * Places a batch of one account's orders in the caller's transaction, as if one after another in
 * arrival order: the balances they touch are locked once (in a fixed order, as every ledger writer
 * locks them), each order is checked against what the ones before it left, and the orders, the
 * balance changes, the trade log and the events are written with one statement each.
 */
export async function placeBatch(tx: Tx, accountId: string, requests: OrderRequest[]): Promise<Settled<Placed>[]> {
  // Statements that do not need each other's results are sent together: on PostgreSQL they are
  // pipelined on the transaction's connection, one round trip for the pair.
  const [known, rows] = await Promise.all([knownOrders(tx, accountId, requests), lockBalances(tx, accountId, requests)]);
  const decisions = decide(requests, known, rows);

  const placing = decisions.flatMap((d, i) => (d.kind === 'execute' || d.kind === 'reject' ? [i] : []));
  const [inserted] = await Promise.all([insertOrders(tx, placing, requests, decisions), writeBalances(tx, accountId, rows)]);

  const events: AccountEvent[] = [];
  const reports = new Map<number, OrderReport>();
  for (const i of placing) {
    const { report, pushed } = eventsOf(accountId, requests[i], decisions[i], inserted.get(i)!);
    reports.set(i, report);
    events.push(...pushed);
  }
  await Promise.all([logTrades(tx, accountId, placing, requests, decisions, inserted), notifyAccountEvents(tx, events)]);

  return Promise.all(
    decisions.map(async (d, i): Promise<Settled<Placed>> => {
      if (d.kind === 'error') return settledError(d.error);
      if (d.kind === 'known') return settledValue({ report: await reportOf(tx, d.row), duplicate: true });
      if (d.kind === 'same-as') return settledValue({ report: reports.get(d.index)!, duplicate: true });
      return settledValue({ report: reports.get(i)!, duplicate: false });
    }),
  );
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

/** The row an order is stored as: what was asked, and what became of it. */
function orderRow({ ctx, input }: OrderRequest, decision: Extract<Decision, { kind: 'execute' | 'reject' }>) {
  const asked = {
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
      status: 'REJECTED' as const,
      price: input.price ?? null,
      rejectCode: REJECT_CODES[decision.rejection.code],
      rejectReason: decision.rejection.message,
    };
  }
  const { pair, fill, complete, hold } = decision.plan;
  return {
    ...asked,
    currency1: pair.base,
    currency2: pair.quote,
    status: fill ? (complete ? ('FILLED' as const) : ('EXPIRED' as const)) : hold ? ('NEW' as const) : ('EXPIRED' as const),
    price: input.orderType === 'Market' ? null : (input.price ?? null),
    executedCcy1: fill?.base ?? '0',
    executedCcy2: fill?.quote ?? '0',
    averagePrice: fill?.averagePrice ?? null,
    heldCurrency: hold?.currency ?? null,
    heldAmount: hold?.amount ?? '0',
  };
}

async function insertOrders(tx: Tx, placing: number[], requests: OrderRequest[], decisions: Decision[]): Promise<Map<number, OrderRow>> {
  const inserted = new Map<number, OrderRow>();
  if (placing.length === 0) return inserted;
  const rows = await tx
    .insert(orders)
    .values(placing.map((i) => orderRow(requests[i], decisions[i] as Extract<Decision, { kind: 'execute' | 'reject' }>)))
    .onConflictDoNothing({ target: [orders.accountId, orders.clientOrderId] })
    .returning();
  // Another process placed one of these clientOrderIds after knownOrders read: the caller rolls
  // back and runs the batch again, which then answers that request with the original.
  if (rows.length !== placing.length) throw new ClientOrderIdTaken();
  const byClientId = new Map(rows.map((row) => [row.clientOrderId, row]));
  for (const i of placing) inserted.set(i, byClientId.get(requests[i].input.clientOrderId)!);
  return inserted;
}

/**
 * The batch's net change to each row: the locked rows in one UPDATE, the rows it creates (credits
 * only — a row that did not exist could not be debited) in one upsert. PostgreSQL checks a row's
 * CHECK constraint before ON CONFLICT, so a negative change cannot go through the upsert.
 */
async function writeBalances(tx: Tx, accountId: string, rows: Map<string, BalanceRow>): Promise<void> {
  const changed = [...rows.values()].filter((r) => !r.deltaAvailable.eq(0) || !r.deltaOnHold.eq(0));
  const updates = changed
    .filter((r) => r.existed)
    .map((r) => ({ s: r.subAccount, c: r.currency, a: plain(r.deltaAvailable), h: plain(r.deltaOnHold) }));
  const created = changed.filter((r) => !r.existed);
  if (updates.length > 0) {
    await tx.execute(sql`
      update ${balances} set available = ${balances.available} + v.a, on_hold = ${balances.onHold} + v.h
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(s text, c text, a numeric, h numeric)
      where ${balances.accountId} = ${accountId} and ${balances.subAccount} = v.s and ${balances.currency} = v.c`);
  }
  if (created.length > 0) {
    await tx
      .insert(balances)
      .values(
        created.map((r) => ({
          accountId,
          subAccount: r.subAccount,
          currency: r.currency,
          available: plain(r.deltaAvailable),
          onHold: plain(r.deltaOnHold),
        })),
      )
      .onConflictDoUpdate({
        target: [balances.accountId, balances.subAccount, balances.currency],
        set: { available: sql`${balances.available} + excluded.available`, onHold: sql`${balances.onHold} + excluded.on_hold` },
      });
  }
}

/** The trade log: per fill, what was paid and received, and the fee. */
async function logTrades(
  tx: Tx,
  accountId: string,
  placing: number[],
  requests: OrderRequest[],
  decisions: Decision[],
  inserted: Map<number, OrderRow>,
): Promise<void> {
  const entries = placing.flatMap((i) => {
    const decision = decisions[i];
    if (decision.kind !== 'execute' || !decision.plan.fill) return [];
    const { input, ctx } = requests[i];
    const { fill, pair } = decision.plan;
    const row = inserted.get(i)!;
    const details = `${input.side} ${fill.base} ${pairName(pair)} at ${fill.averagePrice} (order ${row.id})`;
    const entry = (type: 'trade' | 'commission', currency: string, amount: string) => ({
      accountId,
      subAccount: input.subAccount,
      type,
      currency,
      amount,
      orderId: row.id,
      details,
      createdAt: ctx.now,
    });
    return [
      entry('trade', fill.pay.currency, `-${fill.pay.amount}`),
      entry('trade', fill.receive.currency, fill.receive.amount),
      ...(new Big(fill.fee.amount).gt(0) ? [entry('commission', fill.fee.currency, `-${fill.fee.amount}`)] : []),
    ];
  });
  if (entries.length > 0) await tx.insert(transactions).values(entries);
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
