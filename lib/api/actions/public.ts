import { z } from 'zod';
import { defineAction } from '@/lib/api/action';
import { CURRENCIES, PAIRS, findPairByName, orderBook, pairName } from '@/lib/ledger/market';
import { ApiError } from '@/lib/api/errors';

const pairParam = z.string({ error: 'pair is required' }).refine((p) => findPairByName(p) !== undefined, { message: 'unknown pair' });

const EXAMPLE_BOOK = {
  timestamp: 1732500000123,
  currency1: 'BTC',
  currency2: 'USD',
  bids: [['59970.0', '2.5']],
  asks: [['60030.0', '2.5']],
};

export const publicActions = [
  defineAction({
    name: 'get_server_time',
    permission: null,
    mutating: false,
    params: z.object({}),
    summary: 'The server clock, to check yours before signing requests.',
    exampleParams: {},
    exampleResponse: { timestamp: 1732500000123, ISODate: '2024-11-25T02:00:00.123Z' },
    handler: async ({ now }) => ({ timestamp: now.getTime(), ISODate: now.toISOString() }),
  }),
  defineAction({
    name: 'get_pairs_info',
    permission: null,
    mutating: false,
    params: z.object({ pairs: z.array(z.string()).optional() }),
    summary: 'Tradable pairs with their limits and precision.',
    exampleParams: { pairs: ['BTC-USD'] },
    exampleResponse: [{ base: 'BTC', quote: 'USD', baseMin: '0.0001', baseMax: '50', pricePrecision: 1 }],
    handler: async (_ctx, { pairs }) =>
      PAIRS.filter((p) => !pairs || pairs.includes(pairName(p))).map((p) => ({
        base: p.base,
        quote: p.quote,
        baseMin: p.minBase,
        baseMax: p.maxBase,
        pricePrecision: p.pricePrecision,
      })),
  }),
  defineAction({
    name: 'get_currencies_info',
    permission: null,
    mutating: false,
    params: z.object({ currencies: z.array(z.string()).optional() }),
    summary: 'Currencies with precision, blockchains and withdrawal minimums.',
    exampleParams: { currencies: ['BTC'] },
    exampleResponse: [{ currency: 'BTC', precision: 8, minWithdrawal: '0.0005', blockchains: ['bitcoin'] }],
    handler: async (_ctx, { currencies }) =>
      Object.entries(CURRENCIES)
        .filter(([c]) => !currencies || currencies.includes(c))
        .map(([currency, spec]) => ({
          currency,
          precision: spec.precision,
          minWithdrawal: spec.minWithdrawal,
          blockchains: spec.blockchains,
        })),
  }),
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
    params: z.object({ pairs: z.array(z.string()).optional() }),
    summary: 'Best bid, best ask and last price per pair.',
    exampleParams: { pairs: ['BTC-USD'] },
    exampleResponse: { 'BTC-USD': { bestBid: '59970.0', bestAsk: '60030.0', last: '60000', timestamp: 1732500000123 } },
    handler: async ({ now }, { pairs }) =>
      Object.fromEntries(
        PAIRS.filter((p) => !pairs || pairs.includes(pairName(p))).map((p) => {
          const book = orderBook(p);
          return [pairName(p), { bestBid: book.bids[0].price, bestAsk: book.asks[0].price, last: p.mid, timestamp: now.getTime() }];
        }),
      ),
  }),
];

/** A pair's book as get_order_book answers it. */
function bookOf(pair: string, now: Date) {
  const spec = findPairByName(pair);
  if (!spec) throw new ApiError(422, 'pair: unknown pair');
  const book = orderBook(spec);
  return {
    timestamp: now.getTime(),
    currency1: spec.base,
    currency2: spec.quote,
    bids: book.bids.map((l) => [l.price, l.amount]),
    asks: book.asks.map((l) => [l.price, l.amount]),
  };
}
