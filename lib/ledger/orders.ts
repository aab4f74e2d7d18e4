import Big from 'big.js';
import { and, eq, isNotNull, lte, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { orders, transactions } from '@/db/schema';
import { LedgerError } from './errors';
import { notifyAccountEvent } from '@/lib/platform/events';
import { plain } from './decimal';
import { checkPrice, fillLimitOrder, fillMarketOrder, limitOrderHold, type Side } from './fill';
import { findPair, pairName } from './market';
import { applyMovesOrThrow, type Move } from './moves';
import { ledgerTransaction } from './balance-cache';
import { notifyBalances } from './notify';
import { executionReport, reportOf, type OrderRow } from './order-view';

/**
 * Orders on the demo ledger. A market order, and a limit order that must execute at once (IOC,
 * FOK), fill against the demo book; other limit and stop-limit orders rest with their funds on
 * hold until cancelled (or, GTD, until they expire: lib/ledger/expiry.ts). Each placement or
 * cancellation is one database transaction with its balance moves, `transactions` rows and events.
 */
export interface LedgerContext {
  accountId: string;
  apiKeyId: string | null;
  now: Date;
}

export interface NewOrder {
  subAccount: string;
  clientOrderId: string;
  currency1: string;
  currency2: string;
  side: Side;
  orderType: 'Market' | 'Limit' | 'StopLimit';
  /** GTC unless given; a Market order is always IOC (FOK is the same for it: all or nothing). */
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'GTD';
  amountCcy1?: string;
  amountCcy2?: string;
  price?: string;
  stopPrice?: string;
  /** GTD only: when the resting order expires. */
  expireTime?: Date;
  comment?: string;
}

export type OrderReport = ReturnType<typeof executionReport>;

async function findByClientOrderId(db: Db | Tx, accountId: string, clientOrderId: string): Promise<OrderRow | undefined> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.accountId, accountId), eq(orders.clientOrderId, clientOrderId)));
  return row;
}

/**
 * Why an order can be refused after it was well formed — CEX.IO answers these with the order,
 * `status: "REJECTED"`, and a code and reason, not with an error. The codes are Keydesk's own and
 * documented in /docs/api.
 */
export const REJECT_CODES = { insufficient_funds: 1, out_of_range: 2, insufficient_liquidity: 3 } as const;
type Rejection = LedgerError & { code: keyof typeof REJECT_CODES };
const isRejection = (error: unknown): error is Rejection => error instanceof LedgerError && error.code in REJECT_CODES;

/**
 * Places an order. The same `clientOrderId` again returns the original order and moves nothing,
 * also when two identical requests race: the unique index decides, the loser reads the winner's row.
 * An order the account cannot afford, outside the pair's limits or beyond the book's liquidity is
 * kept as REJECTED, with its reason, and reported like any other (nothing moves).
 */
export async function placeOrder(db: Db, ctx: LedgerContext, input: NewOrder): Promise<{ report: OrderReport; duplicate: boolean }> {
  try {
    return await fillOrRest(db, ctx, input);
  } catch (error) {
    if (!isRejection(error)) throw error;
    return rejectOrder(db, ctx, input, error);
  }
}

async function rejectOrder(
  db: Db,
  ctx: LedgerContext,
  input: NewOrder,
  rejection: Rejection,
): Promise<{ report: OrderReport; duplicate: boolean }> {
  return ledgerTransaction(db, ctx.accountId, async (tx) => {
    const [row] = await tx
      .insert(orders)
      .values({
        ...orderFields(ctx, input),
        currency1: input.currency1,
        currency2: input.currency2,
        status: 'REJECTED',
        price: input.price ?? null,
        rejectCode: REJECT_CODES[rejection.code],
        rejectReason: rejection.message,
      })
      .onConflictDoNothing({ target: [orders.accountId, orders.clientOrderId] })
      .returning();
    if (!row) return sameClientOrder(tx, ctx, input);
    const report = executionReport(row, null);
    await notifyAccountEvent(tx, { accountId: ctx.accountId, e: 'executionReport', data: report });
    return { report, duplicate: false };
  });
}

/** What every new order row holds, whatever becomes of it. */
const orderFields = (ctx: LedgerContext, input: NewOrder) => ({
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
});

const timeInForceOf = (input: NewOrder) => (input.orderType === 'Market' ? (input.timeInForce ?? 'IOC') : (input.timeInForce ?? 'GTC'));

/** A concurrent request with the same clientOrderId committed first: answer with its order. */
async function sameClientOrder(tx: Tx, ctx: LedgerContext, input: NewOrder): Promise<{ report: OrderReport; duplicate: boolean }> {
  const original = await findByClientOrderId(tx, ctx.accountId, input.clientOrderId);
  if (!original) throw new LedgerError('conflict', 'clientOrderId is in use by a concurrent request; retry');
  return { report: await reportOf(tx, original), duplicate: true };
}

/** What an order does when placed: fill now (all or part), expire unfilled, or rest with funds on hold. */
function planOf(input: NewOrder, pair: NonNullable<ReturnType<typeof findPair>>, now: Date) {
  if (input.orderType === 'Market') return { fill: fillMarketOrder(pair, input.side, input), complete: true, hold: null };
  if (input.amountCcy1 === undefined || input.price === undefined || input.amountCcy2 !== undefined) {
    throw new LedgerError('invalid', `A ${input.orderType} order needs amountCcy1 and price (amountCcy2 is for Market orders)`);
  }
  const hold = limitOrderHold(pair, input.side, input.amountCcy1, input.price);
  const tif = timeInForceOf(input);
  if (input.orderType === 'StopLimit') {
    if (input.stopPrice === undefined) throw new LedgerError('invalid', 'stopPrice: required for a StopLimit order');
    checkPrice(pair, 'stopPrice', input.stopPrice);
  }
  if (tif === 'GTD' && !(input.expireTime && input.expireTime > now)) {
    throw new LedgerError('invalid', 'expireTime: a GTD order needs an expireTime in the future');
  }
  if (tif !== 'IOC' && tif !== 'FOK') return { fill: null, complete: false, hold };
  const fill = fillLimitOrder(pair, input.side, input.amountCcy1, input.price);
  // Fill-or-kill: a part is not enough, and nothing moves.
  if (!fill || (tif === 'FOK' && !fill.complete)) return { fill: null, complete: false, hold: null };
  return { fill, complete: fill.complete, hold: null };
}

async function fillOrRest(db: Db, ctx: LedgerContext, input: NewOrder): Promise<{ report: OrderReport; duplicate: boolean }> {
  const known = await findByClientOrderId(db, ctx.accountId, input.clientOrderId);
  if (known) return { report: await reportOf(db, known), duplicate: true };
  const pair = findPair(input.currency1, input.currency2);
  if (!pair) throw new LedgerError('invalid', `Unknown pair ${input.currency1}-${input.currency2}`);
  if (input.amountCcy1 !== undefined && input.amountCcy2 !== undefined)
    throw new LedgerError('invalid', 'amountCcy2: give either amountCcy1 or amountCcy2, not both');
  const { fill, complete, hold } = planOf(input, pair, ctx.now);
  const status = fill ? (complete ? 'FILLED' : 'EXPIRED') : hold ? 'NEW' : 'EXPIRED';

  return ledgerTransaction(db, ctx.accountId, async (tx) => {
    const [row] = await tx
      .insert(orders)
      .values({
        ...orderFields(ctx, input),
        currency1: pair.base,
        currency2: pair.quote,
        status,
        price: input.orderType === 'Market' ? null : input.price,
        executedCcy1: fill?.base ?? '0',
        executedCcy2: fill?.quote ?? '0',
        averagePrice: fill?.averagePrice ?? null,
        heldCurrency: hold?.currency ?? null,
        heldAmount: hold?.amount ?? '0',
      })
      .onConflictDoNothing({ target: [orders.accountId, orders.clientOrderId] })
      .returning();
    if (!row) return sameClientOrder(tx, ctx, input);
    const sub = input.subAccount;
    if (fill) {
      const net = plain(new Big(fill.receive.amount).minus(fill.fee.amount));
      await applyMovesOrThrow(tx, ctx.accountId, [
        { on: 'balance', op: 'debit', subAccount: sub, currency: fill.pay.currency, amount: fill.pay.amount },
        { on: 'balance', op: 'credit', subAccount: sub, currency: fill.receive.currency, amount: net },
      ]);
      const details = `${input.side} ${fill.base} ${pairName(pair)} at ${fill.averagePrice} (order ${row.id})`;
      const entry = (type: 'trade' | 'commission', currency: string, amount: string) => ({
        accountId: ctx.accountId,
        subAccount: sub,
        type,
        currency,
        amount,
        orderId: row.id,
        details,
        createdAt: ctx.now,
      });
      await tx
        .insert(transactions)
        .values([
          entry('trade', fill.pay.currency, `-${fill.pay.amount}`),
          entry('trade', fill.receive.currency, fill.receive.amount),
          ...(new Big(fill.fee.amount).gt(0) ? [entry('commission', fill.fee.currency, `-${fill.fee.amount}`)] : []),
        ]);
      await notifyBalances(
        tx,
        ctx.accountId,
        [
          [sub, pair.base],
          [sub, pair.quote],
        ],
        ctx.now,
        { action: 'trade', id: String(row.id) },
      );
    } else if (hold) {
      await applyMovesOrThrow(tx, ctx.accountId, [
        { on: 'balance', op: 'debit', subAccount: sub, currency: hold.currency, amount: hold.amount },
        { on: 'balance', op: 'credit', subAccount: sub, currency: hold.currency, amount: hold.amount, column: 'onHold' },
      ]);
      await notifyBalances(tx, ctx.accountId, [[sub, hold.currency]], ctx.now, { action: 'orderHold', id: String(row.id) });
    }
    const fee = fill ? fill.fee : null;
    const push = (data: OrderReport) => notifyAccountEvent(tx, { accountId: ctx.accountId, e: 'executionReport', data });
    // As CEX.IO does, an order that executes at once is reported accepted (New) before its fill
    // (Trade), and an immediate order's unfilled rest as Expired after it.
    if (status !== 'NEW') {
      await push(executionReport({ ...row, status: 'NEW', executedCcy1: '0', executedCcy2: '0', averagePrice: null }, null, 'New'));
    }
    if (fill && !complete) await push(executionReport(row, fee, 'Trade'));
    const report = executionReport(row, fee);
    await push(report);
    return { report, duplicate: false };
  });
}

/** The moves that give a resting order's held funds back to available. */
const releaseOf = (o: OrderRow): Move[] =>
  o.heldCurrency && new Big(o.heldAmount).gt(0)
    ? [
        { on: 'balance', op: 'debit', subAccount: o.subAccount, currency: o.heldCurrency, amount: o.heldAmount, column: 'onHold' },
        { on: 'balance', op: 'credit', subAccount: o.subAccount, currency: o.heldCurrency, amount: o.heldAmount },
      ]
    : [];

/** Closes the matched resting orders (cancelled, or expired) in one transaction: status, held funds and events. */
async function closeResting(tx: Tx, ctx: LedgerContext, where: SQL | undefined, status: 'CANCELLED' | 'EXPIRED'): Promise<OrderRow[]> {
  const closed = await tx
    .update(orders)
    .set({ status, updatedAt: ctx.now })
    .where(and(eq(orders.accountId, ctx.accountId), eq(orders.status, 'NEW'), where))
    .returning();
  await applyMovesOrThrow(tx, ctx.accountId, closed.flatMap(releaseOf));
  const action = status === 'CANCELLED' ? 'orderCancel' : 'orderExpire';
  for (const o of closed.filter((c) => c.heldCurrency)) {
    await notifyBalances(tx, ctx.accountId, [[o.subAccount, o.heldCurrency!]], ctx.now, { action, id: String(o.id) });
  }
  for (const o of closed) {
    await notifyAccountEvent(tx, { accountId: ctx.accountId, e: 'executionReport', data: executionReport(o, null) });
  }
  return closed;
}

const cancelWhere = (tx: Tx, ctx: LedgerContext, where: SQL | undefined) => closeResting(tx, ctx, where, 'CANCELLED');

/**
 * Expires the resting GTD orders whose expireTime has passed, releasing their held funds; one
 * transaction per account. Safe to run in several processes at once: the update only takes
 * orders still NEW, so each expires once. Returns how many expired.
 */
export async function expireDueOrders(db: Db, now = new Date()): Promise<number> {
  const accounts = await db
    .selectDistinct({ accountId: orders.accountId })
    .from(orders)
    .where(and(eq(orders.status, 'NEW'), isNotNull(orders.expireTime), lte(orders.expireTime, now)))
    .limit(500);
  let expired = 0;
  for (const { accountId } of accounts) {
    const ctx = { accountId, apiKeyId: null, now };
    const closed = await ledgerTransaction(db, accountId, (tx) =>
      closeResting(tx, ctx, and(isNotNull(orders.expireTime), lte(orders.expireTime, now)), 'EXPIRED'),
    );
    expired += closed.length;
  }
  return expired;
}

/**
 * Cancels one resting order by `orderId` or `clientOrderId`. Cancelling an order that is already
 * cancelled answers with it again (a retried cancel is harmless); a filled order cannot be cancelled.
 */
export async function cancelOrder(db: Db, ctx: LedgerContext, ref: { orderId?: number; clientOrderId?: string }): Promise<OrderReport> {
  if (ref.orderId === undefined && ref.clientOrderId === undefined)
    throw new LedgerError('invalid', 'orderId: orderId or clientOrderId is required');
  const match = and(
    ref.orderId !== undefined ? eq(orders.id, ref.orderId) : undefined,
    ref.clientOrderId !== undefined ? eq(orders.clientOrderId, ref.clientOrderId) : undefined,
  );
  return ledgerTransaction(db, ctx.accountId, async (tx) => {
    const [cancelled] = await cancelWhere(tx, ctx, match);
    if (cancelled) return executionReport(cancelled, null, 'Canceled');
    const [existing] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.accountId, ctx.accountId), match));
    if (!existing) throw new LedgerError('not_found', 'Order not found');
    if (existing.status === 'CANCELLED') return executionReport(existing, null, 'Canceled');
    throw new LedgerError('not_cancellable', `Order ${existing.id} is ${existing.status} and cannot be cancelled`);
  });
}

/** Cancels every resting order of the account, or of one sub-account and/or pair. */
export async function cancelAllOrders(
  db: Db,
  ctx: LedgerContext,
  filter: { subAccount?: string; currency1?: string; currency2?: string },
): Promise<{ clientOrderIds: string[] }> {
  const where = and(
    filter.subAccount !== undefined ? eq(orders.subAccount, filter.subAccount) : undefined,
    filter.currency1 !== undefined ? eq(orders.currency1, filter.currency1) : undefined,
    filter.currency2 !== undefined ? eq(orders.currency2, filter.currency2) : undefined,
  );
  const cancelled = await ledgerTransaction(db, ctx.accountId, (tx) => cancelWhere(tx, ctx, where));
  return { clientOrderIds: cancelled.map((o) => o.clientOrderId) };
}
