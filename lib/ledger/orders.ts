import Big from 'big.js';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { orders, transactions } from '@/db/schema';
import { LedgerError } from './errors';
import { notifyAccountEvent } from '@/lib/platform/events';
import { plain } from './decimal';
import { checkPrice, fillLimitOrder, fillMarketOrder, limitOrderHold, type Side } from './fill';
import { findPair, pairName } from './market';
import { applyMovesOrThrow } from './moves';
import { ledgerTransaction } from './balance-cache';
import { notifyBalances } from './notify';
import { executionReport, reportOf, type OrderRow } from './order-view';

/**
 * Placing orders on the demo ledger. A market order, and a limit order that must execute at once
 * (IOC, FOK), fill against the demo book; other limit and stop-limit orders rest with their funds
 * on hold until cancelled or, GTD, expired (./resting-orders.ts). Each placement is one database
 * transaction with its balance moves, `transactions` rows and events.
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
