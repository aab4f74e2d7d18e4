import Big from 'big.js';

/**
 * The demo market: currencies, pairs and a fixed order book per pair. Market orders fill against
 * it at once (the book is a quote, not depleted), so that trading has real prices and real
 * balance effects without a matching engine.
 */
export const CURRENCIES = {
  BTC: { name: 'Bitcoin', fiat: false, precision: 8, minWithdrawal: '0.0005', minDeposit: '0.0001', blockchains: ['bitcoin'] },
  ETH: { name: 'Ethereum', fiat: false, precision: 8, minWithdrawal: '0.005', minDeposit: '0.001', blockchains: ['ethereum'] },
  USDT: { name: 'Tether', fiat: false, precision: 6, minWithdrawal: '10', minDeposit: '1', blockchains: ['ethereum', 'tron'] },
  USD: { name: 'US Dollar', fiat: true, precision: 2, minWithdrawal: null, minDeposit: null, blockchains: [] },
  EUR: { name: 'Euro', fiat: true, precision: 2, minWithdrawal: null, minDeposit: null, blockchains: [] },
} as const;

/** Confirmations a deposit waits for, per blockchain (get_processing_info). */
export const DEPOSIT_CONFIRMATIONS: Record<string, number> = { bitcoin: 2, ethereum: 12, tron: 20 };

export type Currency = keyof typeof CURRENCIES;
export const isCurrency = (c: string): c is Currency => Object.hasOwn(CURRENCIES, c);

/** A pair's limits: an order's base amount, quote value and price must each fall inside them. */
interface PairSpec {
  base: Currency;
  quote: Currency;
  mid: string;
  minBase: string;
  maxBase: string;
  minQuote: string;
  maxQuote: string;
  minPrice: string;
  maxPrice: string;
  pricePrecision: number;
}

export const PAIRS: PairSpec[] = [
  {
    base: 'BTC',
    quote: 'USD',
    mid: '60000',
    minBase: '0.0001',
    maxBase: '50',
    minQuote: '1',
    maxQuote: '5000000',
    minPrice: '100',
    maxPrice: '1000000',
    pricePrecision: 1,
  },
  {
    base: 'ETH',
    quote: 'USD',
    mid: '3000',
    minBase: '0.001',
    maxBase: '1000',
    minQuote: '1',
    maxQuote: '5000000',
    minPrice: '10',
    maxPrice: '100000',
    pricePrecision: 2,
  },
  {
    base: 'BTC',
    quote: 'USDT',
    mid: '60010',
    minBase: '0.0001',
    maxBase: '50',
    minQuote: '1',
    maxQuote: '5000000',
    minPrice: '100',
    maxPrice: '1000000',
    pricePrecision: 1,
  },
  {
    base: 'ETH',
    quote: 'BTC',
    mid: '0.05',
    minBase: '0.001',
    maxBase: '1000',
    minQuote: '0.00001',
    maxQuote: '100',
    minPrice: '0.0001',
    maxPrice: '10',
    pricePrecision: 6,
  },
  {
    base: 'BTC',
    quote: 'EUR',
    mid: '55000',
    minBase: '0.0001',
    maxBase: '50',
    minQuote: '1',
    maxQuote: '5000000',
    minPrice: '100',
    maxPrice: '1000000',
    pricePrecision: 1,
  },
];

/** The smallest step of an amount of the currency: 0.01 for 2 decimals. */
export const lotSize = (currency: Currency) =>
  new Big(1).div(new Big(10).pow(CURRENCIES[currency].precision)).toFixed(CURRENCIES[currency].precision);

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

type Book = Readonly<{ bids: readonly BookLevel[]; asks: readonly BookLevel[] }>;

// The book is a fixed quote per pair: built once, not on every order that walks it (~40 µs each).
const books = new Map<PairSpec, Book>();

/** Five levels each side, 0.05% apart, a little deeper at each level. Shared: never modified. */
export function orderBook(pair: PairSpec): Book {
  let book = books.get(pair);
  if (!book) {
    const mid = new Big(pair.mid);
    const level = (i: number, sign: 1 | -1): BookLevel =>
      Object.freeze({
        price: mid.times(new Big(1).plus(new Big('0.0005').times(i + 1).times(sign))).toFixed(pair.pricePrecision),
        amount: new Big(pair.maxBase)
          .div(20)
          .times(i + 1)
          .toFixed(CURRENCIES[pair.base].precision),
      });
    const side = (sign: 1 | -1) => Object.freeze([0, 1, 2, 3, 4].map((i) => level(i, sign)));
    book = Object.freeze({ bids: side(-1), asks: side(1) });
    books.set(pair, book);
  }
  return book;
}

/** Taker fee in percent, the same for every pair in the demo. */
export const TAKER_FEE_PERCENT = '0.25';
export const MAKER_FEE_PERCENT = '0.15';
