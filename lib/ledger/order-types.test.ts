import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orders } from '@/db/schema';
import { cancelOrder, expireDueOrders } from './resting-orders';
import { placeOrder, REJECT_CODES, type LedgerContext, type NewOrder } from './orders';
import { accountIdOf, balanceOf, fundSubAccount, openLedgerTestDb, refusal, type LedgerTestDb } from '@/test/support/ledger';

// The demo BTC-USD book: asks 60030 (2.5 BTC), 60060 (5), 60090 (7.5) …; bids 59970 (2.5), 59940 (5) …

let t: LedgerTestDb;
let ctx: LedgerContext;
let seq = 0;

beforeAll(async () => {
  t = await openLedgerTestDb();
  ctx = { accountId: await accountIdOf(t.db, 'Atlas Capital'), apiKeyId: null, now: new Date() };
});
afterAll(() => t.close());

const funded = (currency: string, amount: string) => fundSubAccount(t.db, ctx, `types-${++seq}`, currency, amount);

const limit = (sub: string, o: Partial<NewOrder>): NewOrder => ({
  subAccount: sub,
  clientOrderId: `t-${++seq}`,
  currency1: 'BTC',
  currency2: 'USD',
  side: 'BUY',
  orderType: 'Limit',
  amountCcy1: '0.01',
  price: '60100',
  ...o,
});

const reportsOf = (clientOrderId: string) =>
  t.events.filter((e) => e.e === 'executionReport' && e.data.clientOrderId === clientOrderId).map((e) => e.data);

describe('Limit IOC: takes the levels at its price or better at once, the rest expires', () => {
  it('crossing in full: FILLED at the best ask, like a market order with a price cap', async () => {
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, limit(sub, { timeInForce: 'IOC' }));
    expect(report).toMatchObject({ status: 'FILLED', timeInForce: 'IOC', executedAmountCcy1: '0.01000000', averagePrice: '60030' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '0.009975', onHold: '0' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '399.7', onHold: '0' });
  });

  it('crossing in part: the crossing level fills, the rest expires; New, Trade, Expired are pushed', async () => {
    const sub = await funded('USD', '151000');
    const order = limit(sub, { timeInForce: 'IOC', amountCcy1: '3', price: '60030' });
    const { report } = await placeOrder(t.db, ctx, order);
    expect(report).toMatchObject({
      status: 'EXPIRED',
      statusIsFinal: true,
      executionType: 'Expired',
      requestedAmountCcy1: '3.00000000',
      executedAmountCcy1: '2.50000000',
      executedAmountCcy2: '150075.00',
      averagePrice: '60030',
      feeAmount: '0.00625000',
    });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '925', onHold: '0' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'BTC')).toEqual({ available: '2.49375', onHold: '0' });
    await vi.waitFor(() =>
      expect(reportsOf(order.clientOrderId).map((r) => [r.executionType, r.executedAmountCcy1])).toEqual([
        ['New', '0.00000000'],
        ['Trade', '2.50000000'],
        ['Expired', '2.50000000'],
      ]),
    );
  });

  it('not crossing at all: EXPIRED with nothing executed and nothing moved', async () => {
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, limit(sub, { timeInForce: 'IOC', price: '59000' }));
    expect(report).toMatchObject({ status: 'EXPIRED', executedAmountCcy1: '0.00000000', feeAmount: null });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '1000', onHold: '0' });
  });
});

describe('Limit FOK: fills whole or not at all', () => {
  it('a part is not enough: EXPIRED and nothing moves', async () => {
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, limit(sub, { timeInForce: 'FOK', amountCcy1: '3', price: '60030' }));
    expect(report).toMatchObject({ status: 'EXPIRED', timeInForce: 'FOK', executedAmountCcy1: '0.00000000' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '1000', onHold: '0' });
  });

  it('enough at its price: FILLED', async () => {
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, limit(sub, { timeInForce: 'FOK', price: '60030' }));
    expect(report).toMatchObject({ status: 'FILLED', timeInForce: 'FOK', executedAmountCcy1: '0.01000000' });
  });

  it('short of funds for the fill: REJECTED with code 1, as any order', async () => {
    const sub = await funded('USD', '10');
    const { report } = await placeOrder(t.db, ctx, limit(sub, { timeInForce: 'FOK', price: '60030' }));
    expect(report).toMatchObject({ status: 'REJECTED', rejectCode: REJECT_CODES.insufficient_funds });
  });
});

describe('GTD: rests until expireTime, then expires once and releases its funds', () => {
  it('rests with its hold, expires when due (not before), once, with an Expired report', async () => {
    const sub = await funded('USD', '1000');
    const expireTime = new Date(ctx.now.getTime() + 60_000);
    const order = limit(sub, { timeInForce: 'GTD', expireTime, price: '50000', comment: 'until lunch' });
    const { report } = await placeOrder(t.db, ctx, order);
    expect(report).toMatchObject({ status: 'NEW', timeInForce: 'GTD', expireTime: expireTime.getTime(), comment: 'until lunch' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '500', onHold: '500' });

    expect(await expireDueOrders(t.db, new Date(expireTime.getTime() - 1))).toBe(0);
    const [expired, again] = [await expireDueOrders(t.db, expireTime), await expireDueOrders(t.db, expireTime)];
    expect([expired, again]).toEqual([1, 0]);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '1000', onHold: '0' });
    const [row] = await t.db.select().from(orders).where(eq(orders.clientOrderId, order.clientOrderId));
    expect(row.status).toBe('EXPIRED');
    await vi.waitFor(() => expect(reportsOf(order.clientOrderId).at(-1)).toMatchObject({ status: 'EXPIRED', executionType: 'Expired' }));

    const error = await refusal(cancelOrder(t.db, ctx, { clientOrderId: order.clientOrderId }));
    expect(error.code).toBe('not_cancellable');
  });

  it('two processes expiring at once expire each order once', async () => {
    const sub = await funded('USD', '1500');
    const expireTime = new Date(ctx.now.getTime() + 1000);
    for (let i = 0; i < 3; i++) await placeOrder(t.db, ctx, limit(sub, { timeInForce: 'GTD', expireTime, price: '50000' }));
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '0', onHold: '1500' });
    const counts = await Promise.all([expireDueOrders(t.db, expireTime), expireDueOrders(t.db, expireTime)]);
    expect(counts[0] + counts[1]).toBe(3);
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '1500', onHold: '0' });
  });

  it('an expireTime already past is refused and nothing is written', async () => {
    const sub = await funded('USD', '1000');
    const order = limit(sub, { timeInForce: 'GTD', expireTime: new Date(ctx.now.getTime() - 1000), price: '50000' });
    expect((await refusal(placeOrder(t.db, ctx, order))).message).toMatch(/expireTime/);
    expect(await t.db.select().from(orders).where(eq(orders.clientOrderId, order.clientOrderId))).toEqual([]);
  });
});

describe('StopLimit and the price band', () => {
  it('a StopLimit rests with its hold and reports its stopPrice', async () => {
    const sub = await funded('USD', '1000');
    const { report } = await placeOrder(t.db, ctx, limit(sub, { orderType: 'StopLimit', stopPrice: '65000', price: '65100' }));
    expect(report).toMatchObject({ status: 'NEW', orderType: 'StopLimit', stopPrice: '65000', price: '65100', timeInForce: 'GTC' });
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '349', onHold: '651' });
  });

  it('a price or stop price outside the pair’s band is REJECTED with code 2; nothing is held', async () => {
    const sub = await funded('USD', '1000');
    for (const o of [{ price: '50' }, { orderType: 'StopLimit' as const, stopPrice: '2000000', price: '65000' }]) {
      const { report } = await placeOrder(t.db, ctx, limit(sub, o));
      expect(report).toMatchObject({ status: 'REJECTED', rejectCode: REJECT_CODES.out_of_range });
      expect(report.rejectReason).toMatch(/outside 100–1000000 for BTC-USD/);
    }
    expect(await balanceOf(t.db, ctx.accountId, sub, 'USD')).toEqual({ available: '1000', onHold: '0' });
  });
});
