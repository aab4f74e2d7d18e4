import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { ApiGateway } from '@/lib/api/gateway';
import { PERMISSIONS } from '@/lib/keys/permissions';
import { signed } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';

/**
 * The CEX.IO actions and fields a client calls beyond the basics: market data (public and signed),
 * processing info, fee strategy, account status v2, and the order types — through the gateway, on
 * PGlite and PostgreSQL.
 */
let handle: TestDatabase;
let gateway: ApiGateway;
let trader: TestKey;
let atlas: string;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  gateway = new ApiGateway(() => handle.db);
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
  trader = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
});
afterAll(async () => handle?.dispose());

const call = async (action: string, params: unknown = {}, key: TestKey = trader) => gateway.rest(signed(key, action, params));
const pub = async (action: string, params: unknown = {}) => gateway.publicAction(action, Buffer.from(JSON.stringify(params)));
let seq = 0;
const buy = (extra: Record<string, unknown>) =>
  call('do_my_new_order', { clientOrderId: `cx-${++seq}`, currency1: 'BTC', currency2: 'USD', side: 'BUY', ...extra });

describe('market data', () => {
  it('get_trade_history lists the platform’s fills newest first, without who made them, filtered by tradeId', async () => {
    const first = await buy({ orderType: 'Market', amountCcy1: '0.001' });
    const second = await buy({ orderType: 'Limit', timeInForce: 'IOC', amountCcy1: '0.002', price: '60100' });
    const firstId = (first.body.data as { orderId: string }).orderId;
    const secondId = (second.body.data as { orderId: string }).orderId;
    const res = await pub('get_trade_history', { pair: 'BTC-USD', pageSize: 10 });
    expect(res.status).toBe(200);
    const { pageSize, trades } = res.body.data as { pageSize: number; trades: Record<string, unknown>[] };
    expect(pageSize).toBe(10);
    expect(trades.slice(0, 2)).toEqual([
      { tradeId: secondId, dateISO: expect.any(String), side: 'BUY', price: '60030', amount: '0.00200000' },
      { tradeId: firstId, dateISO: expect.any(String), side: 'BUY', price: '60030', amount: '0.00100000' },
    ]);
    const only = await pub('get_trade_history', { pair: 'BTC-USD', fromTradeId: firstId, toTradeId: firstId });
    expect((only.body.data as { trades: { tradeId: string }[] }).trades.map((t) => t.tradeId)).toEqual([firstId]);
    expect((await pub('get_trade_history', { pair: 'ETH-BTC' })).body.data).toEqual({ pageSize: 1000, trades: [] });
  });

  it('get_candles: aligned candles oldest first, the last one open, with the platform’s volume', async () => {
    await buy({ orderType: 'Market', amountCcy1: '0.003' });
    const res = await pub('get_candles', { pair: 'BTC-USD', resolution: '1h', dataType: 'bestBid', limit: 3 });
    expect(res.status).toBe(200);
    const candles = res.body.data as { timestamp: number; open: number; close: number; volume: number; isClosed: boolean }[];
    expect(candles).toHaveLength(3);
    expect(candles.map((c) => c.timestamp % 3_600_000)).toEqual([0, 0, 0]);
    expect(candles[1].timestamp - candles[0].timestamp).toBe(3_600_000);
    expect(candles.map((c) => c.isClosed)).toEqual([true, true, false]);
    expect(candles[2]).toMatchObject({ open: 59970, close: 59970, resolution: '1h' });
    expect(candles[2].volume).toBeGreaterThanOrEqual(0.003);
    const from = Date.UTC(2024, 0, 1);
    const day = await pub('get_candles', { pair: 'BTC-USD', resolution: '1d', fromISO: new Date(from).toISOString(), limit: 2 });
    expect(day.body.data).toEqual([
      expect.objectContaining({ timestamp: from, open: 60030, volume: 0, isClosed: true, timestampISO: '2024-01-01T00:00:00.000Z' }),
      expect.objectContaining({ timestamp: from + 86_400_000 }),
    ]);
  });

  it.each([
    [{ pair: 'BTC-USD', resolution: '3m' }, 'resolution: must be one of 1m, 5m, 15m, 30m, 1h, 2h, 4h, 1d'],
    [{ pair: 'BTC-USD', resolution: '1m', dataType: 'last' }, 'dataType: must be bestBid or bestAsk'],
    [{ pair: 'BTC-USD', resolution: '1m', fromISO: 2000, toISO: 1000 }, 'fromISO: must not be after toISO'],
    [{ pair: 'BTC-USD', resolution: '1m', limit: 5000 }, 'limit:'],
    [{ pair: 'DOGE-USD', resolution: '1m' }, 'pair: unknown pair'],
  ])('get_candles refuses %j with 422', async (params, message) => {
    const res = await pub('get_candles', params);
    expect(res.status).toBe(422);
    expect(String(res.body.error)).toContain(message);
  });

  it('get_ticker adds the last 24 hours: volume, quote volume in USD, high, low and the last trade', async () => {
    await buy({ orderType: 'Market', amountCcy1: '0.001' });
    const ticker = (await pub('get_ticker', { pairs: ['BTC-USD', 'ETH-BTC'] })).body.data as Record<string, Record<string, unknown>>;
    expect(Object.keys(ticker)).toEqual(['BTC-USD', 'ETH-BTC']);
    expect(ticker['BTC-USD']).toMatchObject({
      bestBid: '59970.0',
      bestAsk: '60030.0',
      last: '60030',
      lastTradePrice: '60030',
      high: '60030',
    });
    expect(Number(ticker['BTC-USD'].volume)).toBeGreaterThanOrEqual(0.001);
    expect(ticker['BTC-USD'].volumeUSD).toBe(ticker['BTC-USD'].quoteVolume);
    expect(ticker['ETH-BTC']).toMatchObject({ volume: '0.00000000', lastTradePrice: null, last: '0.05' });
  });

  it('pairs and currencies carry the documented limits and flags', async () => {
    const [btcUsd] = (await pub('get_pairs_info', { pairs: ['BTC-USD'] })).body.data as Record<string, unknown>[];
    expect(btcUsd).toEqual({
      base: 'BTC',
      quote: 'USD',
      baseMin: '0.0001',
      baseMax: '50',
      baseLotSize: '0.00000001',
      quoteMin: '1',
      quoteMax: '5000000',
      quoteLotSize: '0.01',
      basePrecision: 8,
      quotePrecision: 2,
      pricePrecision: 1,
      minPrice: '100',
      maxPrice: '1000000',
    });
    const currencies = (await pub('get_currencies_info', { currencies: ['BTC', 'EUR'] })).body.data as Record<string, unknown>[];
    expect(currencies).toEqual([
      expect.objectContaining({ currency: 'BTC', fiat: false, walletPrecision: 8, walletDeposit: true, walletWithdrawal: true }),
      expect.objectContaining({ currency: 'EUR', fiat: true, walletPrecision: 2 }),
    ]);
  });

  it('public actions answer signed on the private path too (CEX.IO’s private variants), with the key’s checks', async () => {
    const readOnly = await makeKey(handle.db, { accountId: atlas, permissions: ['read'] });
    const res = await call('get_order_book', { pair: 'ETH-USD' }, readOnly);
    expect(res).toMatchObject({ status: 200, body: { ok: 'ok', data: { currency1: 'ETH', currency2: 'USD' } } });
    const walled = await makeKey(handle.db, { accountId: atlas, ipWhitelist: ['203.0.113.9'] });
    expect((await gateway.rest(signed(walled, 'get_ticker', {}, { ip: '198.51.100.1' }))).status).toBe(403);
    expect((await gateway.rest({ ...signed(readOnly, 'get_ticker'), signature: 'wrong' })).status).toBe(401);
  });
});

describe('account and funding information', () => {
  it('get_my_account_status_v2: the v3 balances without their USD value, with the currencies filter', async () => {
    const res = await call('get_my_account_status_v2', { currencies: ['BTC'] });
    expect(res.status).toBe(200);
    const main = (res.body.data as { balancesPerAccounts: Record<string, Record<string, unknown>> }).balancesPerAccounts[''];
    expect(Object.keys(main)).toEqual(['BTC']);
    expect(main.BTC).toEqual({ balance: expect.stringMatching(/^\d+\.\d{8}$/), balanceOnHold: expect.any(String) });
  });

  it('get_processing_info: per blockchain, coin or token, limits and confirmations; fiat has none', async () => {
    const res = await call('get_processing_info', { currencies: ['BTC', 'USDT', 'USD'] });
    const info = res.body.data as Record<string, { name: string; blockchains: Record<string, Record<string, unknown>> }>;
    expect(Object.keys(info)).toEqual(['BTC', 'USDT']);
    expect(info.BTC.blockchains.bitcoin).toMatchObject({
      type: 'coin',
      deposit: 'enabled',
      minWithdrawal: '0.0005',
      depositConfirmations: 2,
    });
    expect(info.USDT.blockchains.tron).toMatchObject({ type: 'token', withdrawal: 'enabled' });
  });

  it('get_fee_strategy states the fees get_my_current_fee charges', async () => {
    const strategy = (await call('get_fee_strategy')).body.data as { tiers: { takerFee: string }[] };
    const current = (await call('get_my_current_fee', { pairs: ['BTC-USD'] })).body.data as {
      tradingFee: Record<string, { percent: string }>;
    };
    expect(strategy.tiers[0].takerFee).toBe(current.tradingFee['BTC-USD'].percent);
  });
});

describe('order types over the API', () => {
  it('a GTD order with an ISO expireTime and a comment rests, and get_my_orders returns both', async () => {
    const expireTime = new Date(Date.now() + 3_600_000);
    const res = await buy({
      orderType: 'Limit',
      timeInForce: 'gtd',
      expireTime: expireTime.toISOString(),
      amountCcy1: '0.001',
      price: '50000',
      comment: 'grid level 3',
    });
    expect(res.body.data).toMatchObject({ status: 'NEW', timeInForce: 'GTD', expireTime: expireTime.getTime(), comment: 'grid level 3' });
    const { clientOrderId } = res.body.data as { clientOrderId: string };
    const listed = await call('get_my_orders', { clientOrderId });
    expect(listed.body.data).toEqual([expect.objectContaining({ clientOrderId, comment: 'grid level 3', timeInForce: 'GTD' })]);
  });

  it('orderType is case-insensitive: stoplimit is a StopLimit order', async () => {
    const res = await buy({ orderType: 'stoplimit', amountCcy1: '0.001', price: '65100', stopPrice: '65000' });
    expect(res.body.data).toMatchObject({ status: 'NEW', orderType: 'StopLimit', stopPrice: '65000' });
  });

  it.each([
    [{ orderType: 'Limit', timeInForce: 'GTD', amountCcy1: '0.001', price: '50000' }, 'expireTime: required with timeInForce GTD'],
    [{ orderType: 'Limit', timeInForce: 'DAY', amountCcy1: '0.001', price: '50000' }, 'timeInForce:'],
    [{ orderType: 'Market', timeInForce: 'GTC', amountCcy1: '0.001' }, 'timeInForce: a Market order is IOC or FOK'],
    [{ orderType: 'StopLimit', amountCcy1: '0.001', price: '65000' }, 'stopPrice: required for a StopLimit order'],
    [{ orderType: 'StopLimit', timeInForce: 'IOC', amountCcy1: '0.001', price: '65000', stopPrice: '64000' }, 'timeInForce:'],
    [{ orderType: 'Limit', amountCcy1: '0.001', price: '50000', stopPrice: '1' }, 'stopPrice: only for a StopLimit order'],
    [{ orderType: 'Limit', amountCcy1: '0.001', price: '50000', comment: 'x'.repeat(256) }, 'comment:'],
    [{ orderType: 'Limit', timeInForce: 'GTD', expireTime: 1000, amountCcy1: '0.001', price: '50000' }, 'expireTime:'],
  ])('refuses %j with 422 and places nothing', async (params, message) => {
    const res = await buy(params);
    expect(res.status).toBe(422);
    expect(String(res.body.error)).toContain(message);
    expect((await call('get_my_orders', { clientOrderId: `cx-${seq}` })).body.data).toEqual([]);
  });
});
