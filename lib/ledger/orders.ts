import Big from 'big.js';
import { and, eq, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { orders, transactions } from '@/db/schema';
import { LedgerError } from './errors';
import { notifyAccountEvent } from '@/lib/platform/events';
import { plain } from './decimal';
import { fillMarketOrder, limitOrderHold, type Side } from './fill';
import { findPair, pairName } from './market';
import { applyMovesOrThrow, type Move } from './moves';
import { ledgerTransaction } from './balance-cache';
import { notifyBalances } from './notify';
import { executionReport, reportOf, type OrderRow } from './order-view';

/**
 * Orders on the demo ledger. A market order fills at once against the demo book; a limit order
 * rests with its funds on hold until it is cancelled. Each placement or cancellation is one
 * database transaction with its balance moves, its `transactions` rows and its events.
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
  orderType: 'Market' | 'Limit';
  amountCcy1?: string;
  amountCcy2?: string;
  price?: string;
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
  amountCcy1: input.amountCcy1 ?? null,
  amountCcy2: input.amountCcy2 ?? null,
  createdAt: ctx.now,
  updatedAt: ctx.now,
});

/** A concurrent request with the same clientOrderId committed first: answer with its order. */
async function sameClientOrder(tx: Tx, ctx: LedgerContext, input: NewOrder): Promise<{ report: OrderReport; duplicate: boolean }> {
  const original = await findByClientOrderId(tx, ctx.accountId, input.clientOrderId);
  if (!original) throw new LedgerError('conflict', 'clientOrderId is in use by a concurrent request; retry');
  return { report: await reportOf(tx, original), duplicate: true };
}

async function fillOrRest(db: Db, ctx: LedgerContext, input: NewOrder): Promise<{ report: OrderReport; duplicate: boolean }> {
  const known = await findByClientOrderId(db, ctx.accountId, input.clientOrderId);
  if (known) return { report: await reportOf(db, known), duplicate: true };
  const pair = findPair(input.currency1, input.currency2);
  if (!pair) throw new LedgerError('invalid', `Unknown pair ${input.currency1}-${input.currency2}`);
  const market = input.orderType === 'Market';
  if (input.amountCcy1 !== undefined && input.amountCcy2 !== undefined)
    throw new LedgerError('invalid', 'amountCcy2: give either amountCcy1 or amountCcy2, not both');
  if (!market && (input.amountCcy1 === undefined || input.price === undefined || input.amountCcy2 !== undefined)) {
    throw new LedgerError('invalid', 'A Limit order needs amountCcy1 and price (amountCcy2 is for Market orders)');
  }
  const fill = market ? fillMarketOrder(pair, input.side, input) : null;
  const hold = market ? null : limitOrderHold(pair, input.side, input.amountCcy1!, input.price!);

  return ledgerTransaction(db, ctx.accountId, async (tx) => {
    const [row] = await tx
      .insert(orders)
      .values({
        ...orderFields(ctx, input),
        currency1: pair.base,
        currency2: pair.quote,
        status: market ? 'FILLED' : 'NEW',
        price: market ? null : input.price,
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
    } else {
      await applyMovesOrThrow(tx, ctx.accountId, [
        { on: 'balance', op: 'debit', subAccount: sub, currency: hold!.currency, amount: hold!.amount },
        { on: 'balance', op: 'credit', subAccount: sub, currency: hold!.currency, amount: hold!.amount, column: 'onHold' },
      ]);
      await notifyBalances(tx, ctx.accountId, [[sub, hold!.currency]], ctx.now, { action: 'orderHold', id: String(row.id) });
    }
    const report = executionReport(row, fill ? fill.fee : null);
    // As CEX.IO does, a market order is reported accepted (New) before its fill (Trade).
    if (fill) {
      const accepted = { ...row, status: 'NEW' as const, executedCcy1: '0', executedCcy2: '0', averagePrice: null };
      await notifyAccountEvent(tx, { accountId: ctx.accountId, e: 'executionReport', data: executionReport(accepted, null, 'New') });
    }
    await notifyAccountEvent(tx, { accountId: ctx.accountId, e: 'executionReport', data: report });
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

/** Cancels the matched resting orders in one transaction: status, held funds and events. */
async function cancelWhere(tx: Tx, ctx: LedgerContext, where: SQL | undefined): Promise<OrderRow[]> {
  const cancelled = await tx
    .update(orders)
    .set({ status: 'CANCELLED', updatedAt: ctx.now })
    .where(and(eq(orders.accountId, ctx.accountId), eq(orders.status, 'NEW'), where))
    .returning();
  await applyMovesOrThrow(tx, ctx.accountId, cancelled.flatMap(releaseOf));
  for (const o of cancelled.filter((c) => c.heldCurrency)) {
    await notifyBalances(tx, ctx.accountId, [[o.subAccount, o.heldCurrency!]], ctx.now, { action: 'orderCancel', id: String(o.id) });
  }
  for (const o of cancelled) {
    await notifyAccountEvent(tx, { accountId: ctx.accountId, e: 'executionReport', data: executionReport(o, null, 'Canceled') });
  }
  return cancelled;
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
