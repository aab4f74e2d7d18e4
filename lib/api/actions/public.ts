import { z } from 'zod';
import { defineAction } from '@/lib/api/action';
import { CURRENCIES, PAIRS, lotSize, pairName } from '@/lib/ledger/market';

export const publicActions = [
  defineAction({
    name: 'get_server_time',
    permission: null,
    mutating: false,
    params: z.object({}),
    summary: 'The server clock, to check yours before signing requests.',
    exampleParams: {},
    exampleResponse: { timestamp: 1732500000123, ISODate: '2024-11-25T02:00:00.123Z' },
    handler: ({ now }) => ({ timestamp: now.getTime(), ISODate: now.toISOString() }),
  }),
  defineAction({
    name: 'get_pairs_info',
    permission: null,
    mutating: false,
    params: z.object({ pairs: z.array(z.string()).optional() }),
    summary:
      "Tradable pairs with their limits: an order's base amount (baseMin–baseMax, in steps of baseLotSize), its value in the quote currency (quoteMin–quoteMax) and its price (minPrice–maxPrice, pricePrecision decimals).",
    exampleParams: { pairs: ['BTC-USD'] },
    exampleResponse: [
      {
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
      },
    ],
    handler: async (_ctx, { pairs }) =>
      PAIRS.filter((p) => !pairs || pairs.includes(pairName(p))).map((p) => ({
        base: p.base,
        quote: p.quote,
        baseMin: p.minBase,
        baseMax: p.maxBase,
        baseLotSize: lotSize(p.base),
        quoteMin: p.minQuote,
        quoteMax: p.maxQuote,
        quoteLotSize: lotSize(p.quote),
        basePrecision: CURRENCIES[p.base].precision,
        quotePrecision: CURRENCIES[p.quote].precision,
        pricePrecision: p.pricePrecision,
        minPrice: p.minPrice,
        maxPrice: p.maxPrice,
      })),
  }),
  defineAction({
    name: 'get_currencies_info',
    permission: null,
    mutating: false,
    params: z.object({ currencies: z.array(z.string()).optional() }),
    summary:
      'Currencies: fiat or not, precision on the trading account and in the wallet, whether wallet deposits and withdrawals are open, the blockchains and the withdrawal minimum.',
    exampleParams: { currencies: ['BTC'] },
    exampleResponse: [
      {
        currency: 'BTC',
        fiat: false,
        precision: 8,
        walletPrecision: 8,
        walletDeposit: true,
        walletWithdrawal: true,
        minWithdrawal: '0.0005',
        blockchains: ['bitcoin'],
      },
    ],
    handler: async (_ctx, { currencies }) =>
      Object.entries(CURRENCIES)
        .filter(([c]) => !currencies || currencies.includes(c))
        .map(([currency, spec]) => ({
          currency,
          fiat: spec.fiat,
          precision: spec.precision,
          // One ledger holds the wallet and the trading accounts: the same precision, both ways open.
          walletPrecision: spec.precision,
          walletDeposit: true,
          walletWithdrawal: true,
          minWithdrawal: spec.minWithdrawal,
          blockchains: spec.blockchains,
        })),
  }),
];
