import Big from 'big.js';
import { and, eq, isNotNull, lte, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { orders } from '@/db/schema';
import { notifyAccountEvent } from '@/lib/platform/events';
import { ledgerTransaction } from './balance-cache';
import { LedgerError } from './errors';
import { applyMovesOrThrow, type Move } from './moves';
import { notifyBalances } from './notify';
import { executionReport, type OrderRow } from './order-view';
import type { LedgerContext, OrderReport } from './orders';

/**
 * Resting orders leave the book here: cancelled by their owner (one, or all of an account), or
 * expired when a GTD order's expireTime passes. Each closing is one transaction: status, the
 * funds on hold given back, and the account's events.
 */

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
