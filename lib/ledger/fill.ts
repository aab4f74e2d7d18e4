import Big from 'big.js';
import { LedgerError } from './errors';
import { checkPrecision, plain, precisionOf, roundDown, roundUp } from './decimal';
import { TAKER_FEE_PERCENT, orderBook, pairName, type BookLevel, type PAIRS } from './market';

type Pair = (typeof PAIRS)[number];
export type Side = 'BUY' | 'SELL';

/** What a market order does to the balances, computed before anything is written. */
export interface MarketFill {
  /** Base and quote amounts traded, before the fee. */
  base: string;
  quote: string;
  averagePrice: string;
  /** Currency and amount taken from the sub-account's available balance. */
  pay: { currency: string; amount: string };
  /** Currency and gross amount bought; the fee is charged in it. */
  receive: { currency: string; amount: string };
  fee: { currency: string; amount: string };
}

const liquidityError = () => new LedgerError('insufficient_liquidity', 'Not enough liquidity in the order book for this amount');
const outOfRange = (message: string) => new LedgerError('out_of_range', message);

/** Refuses an order whose base amount is outside the pair's limits (code 2, out of range). */
function checkBaseRange(pair: Pair, base: Big) {
  if (base.lt(pair.minBase)) throw outOfRange(`Order amount is below the minimum of ${pair.minBase} ${pair.base} for ${pairName(pair)}`);
  if (base.gt(pair.maxBase)) throw outOfRange(`Order amount is above the maximum of ${pair.maxBase} ${pair.base} for ${pairName(pair)}`);
}

function checkQuoteRange(pair: Pair, quote: Big) {
  if (quote.lt(pair.minQuote)) throw outOfRange(`Order value is below the minimum of ${pair.minQuote} ${pair.quote} for ${pairName(pair)}`);
  if (quote.gt(pair.maxQuote)) throw outOfRange(`Order value is above the maximum of ${pair.maxQuote} ${pair.quote} for ${pairName(pair)}`);
}

/** Refuses a limit or stop price with too many decimals (malformed) or outside the pair's price band (code 2). */
export function checkPrice(pair: Pair, field: 'price' | 'stopPrice', price: string) {
  if (new Big(price).toFixed().split('.')[1]?.length > pair.pricePrecision) {
    throw new LedgerError('invalid', `${field}: at most ${pair.pricePrecision} decimals for ${pairName(pair)}`);
  }
  if (new Big(price).lt(pair.minPrice) || new Big(price).gt(pair.maxPrice)) {
    throw outOfRange(`${field} ${plain(price)} is outside ${pair.minPrice}–${pair.maxPrice} for ${pairName(pair)}`);
  }
}

/**
 * Fills a market order against the demo book (levels walked best first). `amountCcy1` asks for an
 * amount of the base currency; `amountCcy2` for an amount of the quote currency (spent on a BUY,
 * received before fees on a SELL). Rounding always favours the house by at most one unit of the
 * currency's precision, so the client is never credited more than the book gives.
 */
export function fillMarketOrder(pair: Pair, side: Side, amount: { amountCcy1?: string; amountCcy2?: string }): MarketFill {
  const byBase = amount.amountCcy1 !== undefined;
  const wanted = byBase ? amount.amountCcy1 : amount.amountCcy2;
  if (wanted === undefined) throw new LedgerError('invalid', 'amountCcy1: either amountCcy1 or amountCcy2 is required');
  checkPrecision(byBase ? 'amountCcy1' : 'amountCcy2', wanted, byBase ? pair.base : pair.quote);
  const walked = walkBook(pair, side, bookSide(pair, side), byBase, new Big(wanted));
  if (!walked.complete) throw liquidityError();
  checkBaseRange(pair, walked.base);
  const fill = settle(pair, side, walked.base, walked.quoteExact);
  checkQuoteRange(pair, new Big(fill.quote));
  return fill;
}

/**
 * A Limit order that must execute at once (IOC or FOK): it takes the book's levels at its price or
 * better, up to `amountCcy1`. Null when no level crosses its price; `complete` is false when the
 * crossing levels hold less than the amount (an IOC keeps that part, a FOK none of it).
 */
export function fillLimitOrder(pair: Pair, side: Side, amountCcy1: string, price: string): (MarketFill & { complete: boolean }) | null {
  const limit = new Big(price);
  const crossing = bookSide(pair, side).filter((l) => (side === 'BUY' ? limit.gte(l.price) : limit.lte(l.price)));
  if (crossing.length === 0) return null;
  const walked = walkBook(pair, side, crossing, true, new Big(amountCcy1));
  return { ...settle(pair, side, walked.base, walked.quoteExact), complete: walked.complete };
}

const bookSide = (pair: Pair, side: Side) => (side === 'BUY' ? orderBook(pair).asks : orderBook(pair).bids);

/** Walks the levels best first until the wanted amount (of base, or of quote) is reached or they run out. */
function walkBook(pair: Pair, side: Side, levels: readonly BookLevel[], byBase: boolean, wanted: Big) {
  const basePrecision = precisionOf(pair.base);
  let remaining = wanted;
  let base = new Big(0);
  let quoteExact = new Big(0);
  for (const level of levels) {
    const levelBase = new Big(level.amount);
    const levelSize = byBase ? levelBase : levelBase.times(level.price);
    let take = levelBase;
    const last = remaining.lte(levelSize);
    if (last) {
      if (byBase) take = remaining;
      // In quote terms: a buyer spends at most the amount; a seller receives at least it.
      else if (remaining.lt(levelSize))
        take = side === 'BUY' ? roundDown(remaining.div(level.price), basePrecision) : roundUp(remaining.div(level.price), basePrecision);
    }
    base = base.plus(take);
    quoteExact = quoteExact.plus(take.times(level.price));
    remaining = remaining.minus(levelSize);
    if (last) return { base, quoteExact, complete: true };
  }
  return { base, quoteExact, complete: false };
}

/** What a fill of `base` for `quoteExact` moves, rounded in the house's favour, with the taker fee. */
function settle(pair: Pair, side: Side, base: Big, quoteExact: Big): MarketFill {
  const basePrecision = precisionOf(pair.base);
  const quotePrecision = precisionOf(pair.quote);
  // A buyer pays at least the exact cost; a seller receives at most the exact proceeds.
  const quote = side === 'BUY' ? roundUp(quoteExact, quotePrecision) : roundDown(quoteExact, quotePrecision);
  const averagePrice = plain(quoteExact.div(base).round(Math.max(pair.pricePrecision, 8), Big.roundHalfUp));
  const feeRate = new Big(TAKER_FEE_PERCENT).div(100);
  if (side === 'BUY') {
    const fee = roundUp(base.times(feeRate), basePrecision);
    return {
      base: plain(base),
      quote: plain(quote),
      averagePrice,
      pay: { currency: pair.quote, amount: plain(quote) },
      receive: { currency: pair.base, amount: plain(base) },
      fee: { currency: pair.base, amount: plain(fee) },
    };
  }
  const fee = roundUp(quote.times(feeRate), quotePrecision);
  return {
    base: plain(base),
    quote: plain(quote),
    averagePrice,
    pay: { currency: pair.base, amount: plain(base) },
    receive: { currency: pair.quote, amount: plain(quote) },
    fee: { currency: pair.quote, amount: plain(fee) },
  };
}

/**
 * Checks a Limit or StopLimit order's amount and price against the pair, and returns the funds it
 * puts on hold while it rests: the quote cost of a BUY, the base of a SELL.
 */
export function limitOrderHold(pair: Pair, side: Side, amountCcy1: string, price: string): { currency: string; amount: string } {
  checkPrecision('amountCcy1', amountCcy1, pair.base);
  checkPrice(pair, 'price', price);
  checkBaseRange(pair, new Big(amountCcy1));
  const cost = roundUp(new Big(amountCcy1).times(price), precisionOf(pair.quote));
  checkQuoteRange(pair, cost);
  if (side === 'SELL') return { currency: pair.base, amount: plain(amountCcy1) };
  return { currency: pair.quote, amount: plain(cost) };
}
