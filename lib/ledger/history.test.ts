import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundingHistory, listOrders, tradedVolumeUsd, transactionHistory, usdRate, type HistoryFilter } from './history';
import { cancelOrder } from './resting-orders';
import { placeOrder, type LedgerContext, type NewOrder } from './orders';
import { accountIdOf, openLedgerTestDb, type LedgerTestDb } from '@/test/support/ledger';
import { depositFromWallet, externalWithdrawal, internalTransfer } from './transfers';

let t: LedgerTestDb;
let accountId: string;
const day = 86_400_000;
const t0 = new Date('2030-06-01T12:00:00.000Z');
const at = (offsetDays: number): LedgerContext => ({ accountId, apiKeyId: null, now: new Date(t0.getTime() + offsetDays * day) });
const page: HistoryFilter = { pageSize: 100, pageNumber: 1, sortOrder: 'DESC' };
const market = (o: Partial<NewOrder>): NewOrder => ({
  subAccount: '',
  clientOrderId: 'x',
  currency1: 'BTC',
  currency2: 'USD',
  side: 'BUY',
  orderType: 'Market',
  ...o,
});
let restingId: string;

beforeAll(async () => {
  t = await openLedgerTestDb();
  accountId = await accountIdOf(t.db, 'Borealis Markets');
  // 40 days ago: a trade outside the 30-day volume window.
  await placeOrder(t.db, at(-40), market({ clientOrderId: 'old', amountCcy1: '1' }));
  await placeOrder(t.db, at(-2), market({ clientOrderId: 'buy', amountCcy1: '0.01' }));
  await placeOrder(t.db, at(-1), market({ clientOrderId: 'eth', currency1: 'ETH', currency2: 'BTC', side: 'SELL', amountCcy1: '1' }));
  restingId = (await placeOrder(t.db, at(0), market({ clientOrderId: 'rest', orderType: 'Limit', amountCcy1: '0.01', price: '50000' })))
    .report.orderId;
  await placeOrder(t.db, at(0), market({ clientOrderId: 'gone', orderType: 'Limit', amountCcy1: '0.02', price: '40000' }));
  await cancelOrder(t.db, at(0), { clientOrderId: 'gone' });
  await internalTransfer(t.db, at(0), { subAccount: '', toSubAccount: 'bot-1', currency: 'USD', amount: '100', clientTxId: 'to-bot' });
  await depositFromWallet(t.db, at(0), { subAccount: 'bot-1', currency: 'BTC', amount: '0.5', clientTxId: 'from-wallet' });
  await externalWithdrawal(t.db, at(0), {
    subAccount: '',
    currency: 'ETH',
    address: `0x${'12'.repeat(20)}`,
    amount: '0.5',
    clientTxId: 'out',
  });
});
afterAll(() => t.close());

describe('listOrders', () => {
  it('shows resting orders by default, final ones when archived, any by id', async () => {
    expect((await listOrders(t.db, accountId, page)).map((o) => o.clientOrderId)).toEqual(['rest']);
    expect((await listOrders(t.db, accountId, { ...page, archived: true })).map((o) => o.clientOrderId)).toEqual([
      'gone',
      'eth',
      'buy',
      'old',
    ]);
    expect((await listOrders(t.db, accountId, { ...page, orderId: Number(restingId) })).map((o) => o.status)).toEqual(['NEW']);
    expect((await listOrders(t.db, accountId, { ...page, clientOrderId: 'buy' }))[0]).toMatchObject({
      status: 'FILLED',
      feeAmount: '0.00002500',
      feeCurrency: 'BTC',
      requestedAmountCcy1: '0.01000000',
    });
  });

  it('filters by pair, side and creation time; pages and sorts', async () => {
    const archived = { ...page, archived: true };
    expect((await listOrders(t.db, accountId, { ...archived, currency1: 'ETH', currency2: 'BTC' })).map((o) => o.clientOrderId)).toEqual([
      'eth',
    ]);
    expect((await listOrders(t.db, accountId, { ...archived, side: 'SELL' })).map((o) => o.clientOrderId)).toEqual(['eth']);
    expect(
      (await listOrders(t.db, accountId, { ...archived, dateFrom: at(-3).now, dateTo: at(-1).now })).map((o) => o.clientOrderId),
    ).toEqual(['eth', 'buy']);
    expect(
      (await listOrders(t.db, accountId, { ...archived, pageSize: 2, pageNumber: 2, sortOrder: 'ASC' })).map((o) => o.clientOrderId),
    ).toEqual(['eth', 'gone']);
  });

  it('never shows another account’s orders', async () => {
    expect(await listOrders(t.db, await accountIdOf(t.db, 'Atlas Capital'), { ...page, archived: true })).toEqual([]);
  });
});

describe('transactionHistory', () => {
  it('lists every movement with CEX.IO fields, filtered and paged', async () => {
    const btc = await transactionHistory(t.db, accountId, { ...page, currency: 'BTC', subAccount: '' });
    // Newest first; within one fill the commission row was written last.
    expect(btc.map((r) => [r.type, r.amount])).toEqual([
      ['commission', '-0.00012494'], // 1 ETH sold at 0.049975 BTC
      ['trade', '0.04997500'],
      ['commission', '-0.00002500'], // 0.01 BTC bought
      ['trade', '0.01000000'],
      ['commission', '-0.00250000'], // 1 BTC bought 40 days ago
      ['trade', '1.00000000'],
    ]);
    expect(btc[0]).toMatchObject({ accountId: '', currency: 'BTC', timestamp: at(-1).now.toISOString() });
    expect((await transactionHistory(t.db, accountId, { ...page, types: ['commission'] })).map((r) => r.currency).sort()).toEqual([
      'BTC',
      'BTC',
      'BTC',
    ]);
    expect((await transactionHistory(t.db, accountId, { ...page, subAccount: 'bot-1' })).map((r) => [r.type, r.amount])).toEqual([
      ['walletDeposit', '0.50000000'],
      ['internalTransfer', '100.00'],
    ]);
    expect(await transactionHistory(t.db, accountId, { ...page, dateTo: at(-41).now })).toEqual([]);
    expect(await transactionHistory(t.db, accountId, { ...page, pageSize: 3 })).toHaveLength(3);
  });
});

describe('fundingHistory', () => {
  it('shows an internal transfer as a withdraw from the source and a deposit into the target', async () => {
    const all = await fundingHistory(t.db, accountId, page);
    expect(all.map((f) => [f.clientTxId, f.type, f.direction, f.status])).toEqual([
      ['out', 'withdrawal', 'withdraw', 'pending'],
      ['from-wallet', 'walletDeposit', 'deposit', 'approved'],
      ['to-bot', 'internalTransfer', 'withdraw', 'approved'],
    ]);
    expect(all[0]).toMatchObject({ blockchain: 'ethereum', address: `0x${'12'.repeat(20)}`, amount: '0.50000000' });
    const bot = await fundingHistory(t.db, accountId, { ...page, subAccount: 'bot-1' });
    expect(bot.map((f) => [f.clientTxId, f.direction, f.accountId])).toEqual([
      ['from-wallet', 'deposit', 'bot-1'],
      ['to-bot', 'deposit', 'bot-1'],
    ]);
    expect((await fundingHistory(t.db, accountId, { ...page, currency: 'USD' })).map((f) => f.clientTxId)).toEqual(['to-bot']);
  });
});

describe('tradedVolumeUsd', () => {
  it('sums the filled orders of the last 30 days in USD', async () => {
    // 0.01 BTC bought for 600.30 USD, and 1 ETH sold for 0.049975 BTC (× 60000 USD/BTC = 2998.50).
    expect(await tradedVolumeUsd(t.db, accountId, at(0).now)).toBe('3598.80');
    expect(await tradedVolumeUsd(t.db, accountId, at(-10).now)).toBe('60030.00');
    expect(await tradedVolumeUsd(t.db, await accountIdOf(t.db, 'Cobalt Trading'), at(0).now)).toBe('0.00');
  });

  it('values each quote currency through the demo book', () => {
    expect(usdRate('USD')?.toFixed()).toBe('1');
    expect(usdRate('BTC')?.toFixed()).toBe('60000');
    expect(Number(usdRate('EUR'))).toBeCloseTo(60000 / 55000, 12);
    expect(Number(usdRate('USDT'))).toBeCloseTo(60000 / 60010, 12);
  });
});
