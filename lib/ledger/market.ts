import Big from 'big.js';

/**
 * The demo market: currencies, pairs and a fixed order book per pair. Market orders fill against
 * it at once (the book is a quote, not depleted), so that trading has real prices and real
 * balance effects without a matching engine.
 */
export const CURRENCIES = {
  BTC: { precision: 8, minWithdrawal: '0.0005', blockchains: ['bitcoin'] },
  ETH: { precision: 8, minWithdrawal: '0.005', blockchains: ['ethereum'] },
  USDT: { precision: 6, minWithdrawal: '10', blockchains: ['ethereum', 'tron'] },
  USD: { precision: 2, minWithdrawal: null, blockchains: [] },
  EUR: { precision: 2, minWithdrawal: null, blockchains: [] },
} as const;

export type Currency = keyof typeof CURRENCIES;
export const isCurrency = (c: string): c is Currency => Object.hasOwn(CURRENCIES, c);

interface PairSpec {
  base: Currency;
  quote: Currency;
  mid: string;
  minBase: string;
  maxBase: string;
  pricePrecision: number;
}

export const PAIRS: PairSpec[] = [
  { base: 'BTC', quote: 'USD', mid: '60000', minBase: '0.0001', maxBase: '50', pricePrecision: 1 },
  { base: 'ETH', quote: 'USD', mid: '3000', minBase: '0.001', maxBase: '1000', pricePrecision: 2 },
  { base: 'BTC', quote: 'USDT', mid: '60010', minBase: '0.0001', maxBase: '50', pricePrecision: 1 },
  { base: 'ETH', quote: 'BTC', mid: '0.05', minBase: '0.001', maxBase: '1000', pricePrecision: 6 },
  { base: 'BTC', quote: 'EUR', mid: '55000', minBase: '0.0001', maxBase: '50', pricePrecision: 1 },
];

export const pairName = (p: { base: string; quote: string }) => `${p.base}-${p.quote}`;

export function findPair(currency1: string, currency2: string): PairSpec | undefined {
  return PAIRS.find((p) => p.base === currency1 && p.quote === currency2);
}

export function findPairByName(name: string): PairSpec | undefined {
  return PAIRS.find((p) => pairName(p) === name);
}

export interface BookLevel {
  price: string;
  amount: string;
}

/** Five levels each side, 0.05% apart, a little deeper at each level. */
export function orderBook(pair: PairSpec): { bids: BookLevel[]; asks: BookLevel[] } {
  const mid = new Big(pair.mid);
  const level = (i: number, sign: 1 | -1) => ({
    price: mid.times(new Big(1).plus(new Big('0.0005').times(i + 1).times(sign))).toFixed(pair.pricePrecision),
    amount: new Big(pair.maxBase)
      .div(20)
      .times(i + 1)
      .toFixed(CURRENCIES[pair.base].precision),
  });
  return { bids: [0, 1, 2, 3, 4].map((i) => level(i, -1)), asks: [0, 1, 2, 3, 4].map((i) => level(i, 1)) };
}

/** Taker fee in percent, the same for every pair in the demo. */
export const TAKER_FEE_PERCENT = '0.25';
export const MAKER_FEE_PERCENT = '0.15';
