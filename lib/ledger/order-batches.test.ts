import { and, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { orders, transactions } from '@/db/schema';
import { placeOrder, type NewOrder } from './orders';
import { balanceOf, fundSubAccount, ledgerTestSuite } from '@/test/support/ledger';

/**
 * Group commit: a bot's orders that arrive together are placed in one transaction — and each must
 * still come out exactly as if placed one after another.
 */
const suite = ledgerTestSuite();
let seq = 0;

const funded = (currency: string, amount: string) => fundSubAccount(suite.t.db, suite.ctx, `batch-${++seq}`, currency, amount);
const buy = (sub: string, o: Partial<NewOrder> = {}): NewOrder => ({
  subAccount: sub,
  clientOrderId: `b-${++seq}`,
  currency1: 'BTC',
  currency2: 'USD',
  side: 'BUY',
  orderType: 'Market',
  amountCcy1: '0.01',
  ...o,
});

/** How many database transactions wrote these orders (rows written together share their xmin). */
async function transactionsThatWrote(orderIds: string[]): Promise<number> {
  const [row] = await suite.t.db
    .select({ n: sql<number>`count(distinct ${orders}.xmin::text)::int` })
    .from(orders)
    .where(inArray(orders.id, orderIds.map(Number)));
  return row.n;
}

describe('orders that arrive together', () => {
  it('share a transaction, and each is checked against what the ones before it left', async () => {
    // 0.01 BTC costs 600.30 USD: 2,500 USD buys four, the other four are rejected for funds.
    const sub = await funded('USD', '2500');
    const placed = await Promise.all(Array.from({ length: 8 }, () => placeOrder(suite.t.db, suite.ctx, buy(sub))));
    expect(placed.map((p) => p.report.status)).toEqual([
      'FILLED',
      'FILLED',
      'FILLED',
      'FILLED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
    ]);
    expect(placed.slice(4).map((p) => [p.report.rejectCode, p.report.rejectReason])).toEqual(Array(4).fill([1, 'Insufficient funds']));
    expect(await transactionsThatWrote(placed.map((p) => p.report.orderId))).toBeLessThan(8);

    expect(await balanceOf(suite.t.db, suite.ctx.accountId, sub, 'USD')).toEqual({ available: '98.8', onHold: '0' });
    expect(await balanceOf(suite.t.db, suite.ctx.accountId, sub, 'BTC')).toEqual({ available: '0.0399', onHold: '0' });
    const log = await suite.t.db
      .select({ orderId: transactions.orderId })
      .from(transactions)
      .where(and(eq(transactions.accountId, suite.ctx.accountId), eq(transactions.subAccount, sub), eq(transactions.type, 'trade')));
    expect(log).toHaveLength(8);

    // Each fill pushes the balances as they stood right after it, in order, then its reports.
    await vi.waitFor(() => {
      const mine = suite.t.events.filter((e) => e.data.accountId === sub && (e.e === 'executionReport' || e.data.action === 'trade'));
      expect(mine.filter((e) => e.e === 'account_update' && e.data.currency === 'USD').map((e) => e.data.balance)).toEqual([
        '1899.70',
        '1299.40',
        '699.10',
        '98.80',
      ]);
      expect(mine.filter((e) => e.e === 'account_update' && e.data.currency === 'BTC').map((e) => e.data.balance)).toEqual([
        '0.00997500',
        '0.01995000',
        '0.02992500',
        '0.03990000',
      ]);
      const first = placed[0].report.orderId;
      expect(
        mine.filter((e) => e.data.orderId === first || e.data.id === first).map((e) => e.data.executionType ?? e.data.currency),
      ).toEqual(['BTC', 'USD', 'New', 'Trade']);
      expect(mine.filter((e) => e.data.executionType === 'Rejected')).toHaveLength(4);
    });
  });

  it('the same clientOrderId twice in one batch: one order, both answered with it', async () => {
    const sub = await funded('USD', '1000');
    const [, a, b] = await Promise.all([
      placeOrder(suite.t.db, suite.ctx, buy(sub, { amountCcy1: '0.001' })),
      placeOrder(suite.t.db, suite.ctx, buy(sub, { clientOrderId: `twice-${sub}` })),
      placeOrder(suite.t.db, suite.ctx, buy(sub, { clientOrderId: `twice-${sub}` })),
    ]);
    expect(b.report.orderId).toBe(a.report.orderId);
    expect([a.duplicate, b.duplicate]).toEqual([false, true]);
    expect(await balanceOf(suite.t.db, suite.ctx.accountId, sub, 'USD')).toEqual({ available: '339.67', onHold: '0' });
  });

  it('a malformed order is refused alone; the others in its batch are placed', async () => {
    const sub = await funded('USD', '1000');
    const results = await Promise.allSettled([
      placeOrder(suite.t.db, suite.ctx, buy(sub, { amountCcy1: '0.001' })),
      placeOrder(suite.t.db, suite.ctx, buy(sub, { currency1: 'DOGE' })),
      placeOrder(suite.t.db, suite.ctx, buy(sub, { orderType: 'Limit', price: '50000' })),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.report.status : String(r.reason)))).toEqual([
      'FILLED',
      'LedgerError: Unknown pair DOGE-USD',
      'NEW',
    ]);
    expect(await balanceOf(suite.t.db, suite.ctx.accountId, sub, 'USD')).toEqual({ available: '439.97', onHold: '500' });
  });

  it('two processes placing the same clientOrderId at once: one order, one effect, both answered with it', async () => {
    const other = suite.t.openOtherProcess();
    if (!other) return; // PGlite is one process
    try {
      const sub = await funded('USD', '10000');
      for (let round = 0; round < 5; round++) {
        const request = buy(sub, { clientOrderId: `two-processes-${sub}-${round}` });
        const [a, b] = await Promise.all([
          placeOrder(suite.t.db, suite.ctx, request),
          placeOrder(other.db, suite.ctx, request),
          placeOrder(other.db, suite.ctx, buy(sub, { amountCcy1: '0.001' })),
        ]);
        expect(b.report.orderId).toBe(a.report.orderId);
        expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
      }
      // Five 0.01 orders (600.30 each) and five of 0.001 (60.03 each).
      expect(await balanceOf(suite.t.db, suite.ctx.accountId, sub, 'USD')).toEqual({ available: '6698.35', onHold: '0' });
    } finally {
      await other.close();
    }
  });
});
