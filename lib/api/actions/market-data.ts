import { z } from 'zod';
import { defineAction } from '@/lib/api/action';
import { ApiError } from '@/lib/api/errors';
import { dateParam } from '@/lib/api/params';
import { usdRate } from '@/lib/ledger/history';
import { PAIRS, findPairByName, orderBook, pairName } from '@/lib/ledger/market';
import { dayStatsByPair, inUsdOrNull, tradesOf, volumeByBucket } from '@/lib/ledger/trade-tape';

/**
 * Market data: public (REST /api/rest-public, /api/ws-public) and, like CEX.IO's, also callable
 * with a key on the private REST path and socket. The demo book is fixed; the trades are the
 * platform's real fills (lib/ledger/trade-tape.ts).
 */
const pairParam = z.string({ error: 'pair is required' }).refine((p) => findPairByName(p) !== undefined, { message: 'unknown pair' });
const pairOf = (name: string) => {
  const pair = findPairByName(name);
  if (!pair) throw new ApiError(422, 'pair: unknown pair');
  return pair;
};
const tradeIdParam = z
  .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,15}$/, 'must be a number')])
  .transform(Number);

const RESOLUTIONS = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};
type Resolution = keyof typeof RESOLUTIONS;

const EXAMPLE_BOOK = {
  timestamp: 1732500000123,
  currency1: 'BTC',
  currency2: 'USD',
  bids: [['59970.0', '2.5']],
  asks: [['60030.0', '2.5']],
};

export const marketDataActions = [
  defineAction({
    name: 'get_order_book',
    permission: null,
    mutating: false,
    params: z.object({ pair: pairParam }),
    summary: 'The order book of one pair (five levels each side).',
    exampleParams: { pair: 'BTC-USD' },
    exampleResponse: EXAMPLE_BOOK,
    handler: async ({ now }, { pair }) => bookOf(pair, now),
  }),
  defineAction({
    name: 'get_demo_order_book',
    permission: null,
    mutating: false,
    params: z.object({ pair: pairParam.default('BTC-USD') }),
    summary: "The order book of the official client's first example: get_order_book, with BTC-USD unless a pair is given.",
    exampleParams: {},
    exampleResponse: EXAMPLE_BOOK,
    handler: async ({ now }, { pair }) => bookOf(pair, now),
  }),
  defineAction({
    name: 'get_ticker',
    permission: null,
    mutating: false,
    params: z.object({ pairs: z.array(z.string()).max(100).optional() }),
    summary:
      'Per pair: best bid and ask, and the last 24 hours of trades — volume (currency1), quoteVolume (currency2), volumeUSD, high and low trade prices, and the last trade.',
    exampleParams: { pairs: ['BTC-USD'] },
    exampleResponse: {
      'BTC-USD': {
        bestBid: '59970.0',
        bestAsk: '60030.0',
        last: '60030',
        volume: '0.01000000',
        quoteVolume: '600.30',
        volumeUSD: '600.30',
        high: '60030',
        low: '60030',
        lastTradePrice: '60030',
        lastTradeVolume: '0.01000000',
        lastTradeDateISO: '2024-11-25T01:58:00.000Z',
        timestamp: 1732500000123,
      },
    },
    handler: async ({ db, now }, { pairs }) => {
      const stats = await dayStatsByPair(db, now);
      return Object.fromEntries(
        PAIRS.filter((p) => !pairs || pairs.includes(pairName(p))).map((p) => {
          const book = orderBook(p);
          const day = stats.get(pairName(p))!;
          return [
            pairName(p),
            {
              bestBid: book.bids[0].price,
              bestAsk: book.asks[0].price,
              last: day.lastTradePrice ?? p.mid,
              volume: day.volume,
              quoteVolume: day.quoteVolume,
              volumeUSD: inUsdOrNull(day.quoteVolume, usdRate(p.quote)),
              high: day.high,
              low: day.low,
              lastTradePrice: day.lastTradePrice,
              lastTradeVolume: day.lastTradeVolume,
              lastTradeDateISO: day.lastTradeDateISO,
              timestamp: now.getTime(),
            },
          ];
        }),
      );
    },
  }),
  defineAction({
    name: 'get_trade_history',
    permission: null,
    mutating: false,
    params: z
      .object({
        pair: pairParam,
        fromDateISO: dateParam.optional(),
        toDateISO: dateParam.optional(),
        fromTradeId: tradeIdParam.optional(),
        toTradeId: tradeIdParam.optional(),
        pageSize: z.number().int().min(1).max(10_000).default(1000),
      })
      .refine((p) => !p.fromDateISO || !p.toDateISO || p.fromDateISO <= p.toDateISO, {
        message: 'must not be after toDateISO',
        path: ['fromDateISO'],
      }),
    summary:
      "The pair's trades on the platform, newest first (every account's, without who made them): filter by date (ms or ISO 8601) or tradeId range; pageSize ≤ 10000 (default 1000).",
    exampleParams: { pair: 'BTC-USD', pageSize: 10 },
    exampleResponse: {
      pageSize: 10,
      trades: [{ tradeId: '16', dateISO: '2024-11-25T01:58:00.000Z', side: 'BUY', price: '60030', amount: '0.01000000' }],
    },
    handler: async ({ db }, p) => ({
      pageSize: p.pageSize,
      trades: await tradesOf(db, pairOf(p.pair), {
        from: p.fromDateISO,
        to: p.toDateISO,
        fromTradeId: p.fromTradeId,
        toTradeId: p.toTradeId,
        pageSize: p.pageSize,
      }),
    }),
  }),
  defineAction({
    name: 'get_candles',
    permission: null,
    mutating: false,
    params: z
      .object({
        pair: pairParam,
        fromISO: dateParam.optional(),
        toISO: dateParam.optional(),
        limit: z.number().int().min(1).max(1000).default(100),
        dataType: z.enum(['bestBid', 'bestAsk'], { error: 'must be bestBid or bestAsk' }).default('bestAsk'),
        resolution: z.enum(Object.keys(RESOLUTIONS) as [Resolution, ...Resolution[]], {
          error: `must be one of ${Object.keys(RESOLUTIONS).join(', ')}`,
        }),
      })
      .refine((p) => !p.fromISO || !p.toISO || p.fromISO <= p.toISO, { message: 'must not be after toISO', path: ['fromISO'] }),
    summary:
      'Candles of the best bid or ask, oldest first: from fromISO forward, or the last `limit` up to toISO (default now); at most 1000. The demo book does not move, so open, high, low and close are its current best price; volume is what the platform traded in each candle.',
    exampleParams: { pair: 'BTC-USD', resolution: '1h', dataType: 'bestAsk', limit: 2 },
    exampleResponse: [
      {
        timestamp: 1732496400000,
        open: 60030,
        high: 60030,
        low: 60030,
        close: 60030,
        volume: 0.01,
        resolution: '1h',
        isClosed: true,
        timestampISO: '2024-11-25T01:00:00.000Z',
      },
    ],
    handler: async ({ db, now }, p) => {
      const pair = pairOf(p.pair);
      const size = RESOLUTIONS[p.resolution];
      const starts = candleStarts(size, p.limit, now, p.fromISO, p.toISO);
      if (starts.length === 0) return [];
      const volumes = await volumeByBucket(db, pair, new Date(starts[0]), new Date(starts[starts.length - 1] + size), size);
      const book = orderBook(pair);
      const price = Number(p.dataType === 'bestBid' ? book.bids[0].price : book.asks[0].price);
      return starts.map((start) => ({
        timestamp: start,
        open: price,
        high: price,
        low: price,
        close: price,
        volume: Number(volumes.get(start) ?? 0),
        resolution: p.resolution,
        isClosed: start + size <= now.getTime(),
        timestampISO: new Date(start).toISOString(),
      }));
    },
  }),
];

/** The starts of the candles asked for, aligned to their size in UTC, none in the future. */
function candleStarts(size: number, limit: number, now: Date, from?: Date, to?: Date): number[] {
  const align = (ms: number) => Math.floor(ms / size) * size;
  const last = align(Math.min((to ?? now).getTime(), now.getTime()));
  const first = from ? align(from.getTime()) : last - (limit - 1) * size;
  const starts: number[] = [];
  for (let t = Math.max(first, 0); t <= last && starts.length < limit; t += size) starts.push(t);
  return starts;
}

/** A pair's book as get_order_book answers it. */
function bookOf(name: string, now: Date) {
  const spec = pairOf(name);
  const book = orderBook(spec);
  return {
    timestamp: now.getTime(),
    currency1: spec.base,
    currency2: spec.quote,
    bids: book.bids.map((l) => [l.price, l.amount]),
    asks: book.asks.map((l) => [l.price, l.amount]),
  };
}
