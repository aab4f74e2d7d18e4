import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orders, transactions } from '@/db/schema';
import { internalTransfer } from './transfers';
import { cancelAllOrders, cancelOrder } from './resting-orders';
import { placeOrder, REJECT_CODES, type LedgerContext, type NewOrder } from './orders';
import { accountIdOf, balanceOf, fundSubAccount, openLedgerTestDb, refusal, trim, type LedgerTestDb } from '@/test/support/ledger';

let t: LedgerTestDb;
let ctx: LedgerContext;
let seq = 0;

beforeAll(async () => {
  t = await openLedgerTestDb();
  ctx = { accountId: await accountIdOf(t.db, 'Atlas Capital'), apiKeyId: null, now: new Date() };
});
afterAll(() => t.close());

const funded = (currency: string, amount: string) => fundSubAccount(t.db, ctx, `orders-${++seq}`, currency, amount);

const order = (sub: string, o: Partial<NewOrder>): NewOrder => ({
  subAccount: sub,
  clientOrderId: `o-${++seq}`,
  currency1: 'BTC',
  currency2: 'USD',
  side: 'BUY',
  orderType: 'Market',
  ...o,
});

const logOf = (orderId: number) => t.db.select().from(transactions).where(eq(transactions.orderId, orderId));

describe('market orders', () => {
  it('a BUY fills at once: quote paid, base received less the fee, three log rows, events', async () => {
    const sub = await funded('USD', '1000');
    const { report, duplicate } = await placeOrder(t.db, ctx, order(sub, { amountCcy1: '0.01' }));
    expect(duplicate).toBe(false);
    expect(report).toMatchObject({
      messageType: 'executionReport',
      status: 'FILLED',
      executionType: 'Trade',
      accountId: sub,
      executedAmountCcy1: '0.01000000',
      executedAmountCcy2: '600.30',
      feeAmount: '0.00002500',
      feeCurrency: 'BTC',
      averagePrice: '60030',
    });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '399.7', onHold: '0' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '0.009975', onHold: '0' });
    const log = await logOf(Number(report.orderId));
    expect(log.map((r) => [r.type, r.currency, trim(r.amount)]).sort()).toEqual([
      ['commission', 'BTC', '-0.000025'],
      ['trade', 'BTC', '0.01'],
      ['trade', 'USD', '-600.3'],
    ]);
    await vi.waitFor(() => {
      const mine = t.events.filter(
        (e) => e.accountId === ctx.accountId && (e.data.accountId === sub || e.data.clientOrderId === report.clientOrderId),
      );
      expect(mine.filter((e) => e.e === 'account_update').map((e) => [e.data.currency, e.data.balance, e.data.onHoldBalance])).toEqual(
        expect.arrayContaining([
          ['BTC', '0.00997500', '0.00000000'],
          ['USD', '399.70', '0.00'],
        ]),
      );
      // Accepted (New, nothing executed) first, then the fill (Trade), as CEX.IO reports a market order.
      expect(mine.filter((e) => e.e === 'executionReport').map((e) => e.data)).toMatchObject([
        { orderId: report.orderId, status: 'NEW', executionType: 'New', executedAmountCcy1: '0.00000000' },
        { orderId: report.orderId, status: 'FILLED', executionType: 'Trade' },
      ]);
      expect(mine.find((e) => e.e === 'account_update' && e.data.action === 'trade')?.data).toMatchObject({
        clientId: ctx.accountId,
        id: report.orderId,
      });
    });
  });

  it('a SELL by quote amount (amountCcy2) receives that amount less the fee in the quote', async () => {
    const sub = await funded('BTC', '0.1');
    const { report } = await placeOrder(t.db, ctx, order(sub, { side: 'SELL', amountCcy2: '1000' }));
    expect(report).toMatchObject({
      status: 'FILLED',
      executedAmountCcy1: '0.01667501',
      executedAmountCcy2: '1000.00',
      feeAmount: '2.50',
      feeCurrency: 'USD',
    });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '0.08332499', onHold: '0' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '997.5', onHold: '0' });
  });

  it('a BUY by quote amount spends at most that amount', async () => {
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, order(sub, { amountCcy2: '1000' }));
    expect(report.executedAmountCcy2).toBe('1000.00');
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '0', onHold: '0' });
  });

  it('insufficient funds: the order is REJECTED with its reason, reported and pushed; no money moves, no trade is logged', async () => {
    const sub = await funded('USD', '100');
    const clientOrderId = `poor-${seq}`;
    const { report } = await placeOrder(t.db, ctx, order(sub, { clientOrderId, amountCcy1: '0.01' }));
    expect(report).toMatchObject({
      clientOrderId,
      status: 'REJECTED',
      statusIsFinal: true,
      executionType: 'Rejected',
      rejectCode: REJECT_CODES.insufficient_funds,
      rejectReason: 'Insufficient funds',
      executedAmountCcy1: '0.00000000',
    });
    await vi.waitFor(() =>
      expect(
        t.events.filter((e) => e.e === 'executionReport' && (e.data as { clientOrderId?: string }).clientOrderId === clientOrderId),
      ).toMatchObject([{ data: { status: 'REJECTED', executionType: 'Rejected' } }]),
    );
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '100', onHold: '0' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '0', onHold: '0' });
    const rows = await t.db
      .select()
      .from(orders)
      .where(and(eq(orders.accountId, ctx.accountId), eq(orders.clientOrderId, clientOrderId)));
    expect(rows).toMatchObject([{ status: 'REJECTED', rejectReason: 'Insufficient funds' }]);
    expect(
      await t.db
        .select()
        .from(transactions)
        .where(and(eq(transactions.accountId, ctx.accountId), eq(transactions.subAccount, sub), eq(transactions.type, 'trade'))),
    ).toEqual([]);
    // The same clientOrderId again answers the same rejected order, and still moves nothing.
    expect((await placeOrder(t.db, ctx, order(sub, { clientOrderId, amountCcy1: '0.01' }))).report.orderId).toBe(report.orderId);
  });

  it("an amount outside the pair's limits or beyond the book is REJECTED too; a malformed one stays an error", async () => {
    const sub = await funded('USD', '1000');
    const tiny = await placeOrder(t.db, ctx, order(sub, { orderType: 'Limit', amountCcy1: '0.00000001', price: '50000' }));
    expect(tiny.report).toMatchObject({
      status: 'REJECTED',
      rejectCode: REJECT_CODES.out_of_range,
      rejectReason: expect.stringMatching(/below the minimum/),
    });
    const huge = await placeOrder(t.db, ctx, order(sub, { amountCcy1: '100000' }));
    expect(huge.report).toMatchObject({ status: 'REJECTED', rejectCode: expect.any(Number) });
    expect(
      (await refusal(placeOrder(t.db, ctx, order(sub, { orderType: 'Limit', amountCcy1: '0.01', price: '50000.123456789' })))).code,
    ).toBe('invalid');
  });

  it('refuses an unknown pair and a Limit order without a price', async () => {
    expect((await refusal(placeOrder(t.db, ctx, order('', { currency1: 'USD', currency2: 'BTC', amountCcy1: '1' })))).message).toBe(
      'Unknown pair USD-BTC',
    );
    expect((await refusal(placeOrder(t.db, ctx, order('', { orderType: 'Limit', amountCcy1: '0.01' })))).code).toBe('invalid');
  });
});

describe('limit orders', () => {
  it('rest with the funds on hold; cancel releases them; a second cancel answers the same', async () => {
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, order(sub, { orderType: 'Limit', amountCcy1: '0.01', price: '50000' }));
    expect(report).toMatchObject({ status: 'NEW', executionType: 'New', initialOnHoldAmountCcy2: '500.00', price: '50000' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '500', onHold: '500' });

    const cancelled = await cancelOrder(t.db, ctx, { orderId: Number(report.orderId) });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', executionType: 'Canceled', statusIsFinal: true });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '1000', onHold: '0' });

    expect(await cancelOrder(t.db, ctx, { clientOrderId: report.clientOrderId })).toMatchObject({ status: 'CANCELLED' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '1000', onHold: '0' });
    await vi.waitFor(() =>
      expect(
        t.events.filter((e) => e.e === 'executionReport' && e.data.orderId === report.orderId).map((e) => e.data.executionType),
      ).toEqual(['New', 'Canceled']),
    );
  });

  it('a SELL holds the base', async () => {
    const sub = await funded('BTC', '0.5');
    await placeOrder(t.db, ctx, order(sub, { side: 'SELL', orderType: 'Limit', amountCcy1: '0.2', price: '70000' }));
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '0.3', onHold: '0.2' });
  });

  it('cannot hold more than is available', async () => {
    const sub = await funded('USD', '100');
    expect((await placeOrder(t.db, ctx, order(sub, { orderType: 'Limit', amountCcy1: '0.01', price: '50000' }))).report).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'Insufficient funds',
    });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '100', onHold: '0' });
  });

  it('cancel: unknown order 404, another account’s order 404, a filled order 422', async () => {
    expect((await refusal(cancelOrder(t.db, ctx, { orderId: 999_999 }))).code).toBe('not_found');
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, order(sub, { orderType: 'Limit', amountCcy1: '0.01', price: '50000' }));
    const other = { ...ctx, accountId: await accountIdOf(t.db, 'Borealis Markets') };
    expect((await refusal(cancelOrder(t.db, other, { orderId: Number(report.orderId) }))).code).toBe('not_found');
    const { report: filled } = await placeOrder(t.db, ctx, order(sub, { amountCcy1: '0.001' }));
    expect((await refusal(cancelOrder(t.db, ctx, { orderId: Number(filled.orderId) }))).message).toMatch(/FILLED and cannot be cancelled/);
  });

  it('cancel-all releases every resting order of the sub-account', async () => {
    const sub = await funded('USD', '2000');
    const a = await placeOrder(t.db, ctx, order(sub, { orderType: 'Limit', amountCcy1: '0.01', price: '50000' }));
    const b = await placeOrder(t.db, ctx, order(sub, { orderType: 'Limit', amountCcy1: '0.02', price: '40000' }));
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '700', onHold: '1300' });
    const { clientOrderIds } = await cancelAllOrders(t.db, ctx, { subAccount: sub });
    expect(clientOrderIds.sort()).toEqual([a.report.clientOrderId, b.report.clientOrderId].sort());
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '2000', onHold: '0' });
    expect(await cancelAllOrders(t.db, ctx, { subAccount: sub })).toEqual({ clientOrderIds: [] });
  });
});

describe('idempotency and concurrency', () => {
  it('the same clientOrderId again returns the original order and moves nothing', async () => {
    const sub = await funded('USD', '1000');
    const first = await placeOrder(t.db, ctx, order(sub, { clientOrderId: `retry-${sub}`, amountCcy1: '0.01' }));
    const again = await placeOrder(t.db, ctx, order(sub, { clientOrderId: `retry-${sub}`, amountCcy1: '0.01' }));
    expect(again.duplicate).toBe(true);
    expect(again.report.orderId).toBe(first.report.orderId);
    expect(again.report.feeAmount).toBe(first.report.feeAmount);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '399.7', onHold: '0' });
  });

  it('two concurrent identical requests: one order, one effect, both answered with it', async () => {
    const sub = await funded('USD', '1000');
    const request = order(sub, { clientOrderId: `race-${sub}`, amountCcy1: '0.01' });
    const results = await Promise.all([placeOrder(t.db, ctx, request), placeOrder(t.db, ctx, request), placeOrder(t.db, ctx, request)]);
    expect(new Set(results.map((r) => r.report.orderId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '399.7', onHold: '0' });
    expect(await logOf(Number(results[0].report.orderId))).toHaveLength(3);
  });

  it('concurrent spends never overdraw: balances stay ≥ 0 and only what was there is sold', async () => {
    const sub = await funded('BTC', '0.3');
    const attempts = await Promise.allSettled(
      Array.from({ length: 5 }, () => placeOrder(t.db, ctx, order(sub, { side: 'SELL', amountCcy1: '0.1' }))),
    );
    const statuses = attempts.map((a) => (a.status === 'fulfilled' ? a.value.report.status : 'error'));
    expect(statuses.filter((s) => s === 'FILLED')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'REJECTED')).toHaveLength(2);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '0', onHold: '0' });
  });

  it('concurrent cancels of one order release its funds once', async () => {
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, order(sub, { orderType: 'Limit', amountCcy1: '0.01', price: '50000' }));
    await Promise.all([
      cancelOrder(t.db, ctx, { orderId: Number(report.orderId) }),
      cancelOrder(t.db, ctx, { orderId: Number(report.orderId) }),
      cancelAllOrders(t.db, ctx, { subAccount: sub }),
    ]);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '1000', onHold: '0' });
  });

  it('opposite trades and transfers touching the same rows run in parallel without deadlocks', async () => {
    const a = await funded('USD', '20000');
    const b = `${a}-b`;
    await internalTransfer(t.db, ctx, { subAccount: '', toSubAccount: a, currency: 'BTC', amount: '0.3', clientTxId: `btc-${a}` });
    await internalTransfer(t.db, ctx, { subAccount: '', toSubAccount: b, currency: 'USD', amount: '1000', clientTxId: `usd-${b}` });
    for (let round = 0; round < 10; round++) {
      const results = await Promise.allSettled([
        placeOrder(t.db, ctx, order(a, { amountCcy1: '0.01' })),
        placeOrder(t.db, ctx, order(a, { side: 'SELL', amountCcy1: '0.01' })),
        cancelAllOrders(t.db, ctx, { subAccount: a }),
        placeOrder(t.db, ctx, order(a, { orderType: 'Limit', amountCcy1: '0.01', price: '50000' })),
        placeOrder(t.db, ctx, order(a, { side: 'SELL', orderType: 'Limit', amountCcy1: '0.01', price: '70000' })),
        internalTransfer(t.db, ctx, { subAccount: a, toSubAccount: b, currency: 'USD', amount: '1', clientTxId: `ab-${a}-${round}` }),
        internalTransfer(t.db, ctx, { subAccount: b, toSubAccount: a, currency: 'USD', amount: '1', clientTxId: `ba-${a}-${round}` }),
      ]);
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    }
  });
});
