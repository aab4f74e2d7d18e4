import Big from 'big.js';
import { LedgerError } from './errors';
import { checkPrecision, plain, precisionOf, roundDown, roundUp } from './decimal';
import { TAKER_FEE_PERCENT, orderBook, pairName, type PAIRS } from './market';

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

/**
 * Fills a market order against the demo book (levels walked best first). `amountCcy1` asks for an
 * amount of the base currency; `amountCcy2` for an amount of the quote currency (spent on a BUY,
 * received before fees on a SELL). Rounding always favours the house by at most one unit of the
 * currency's precision, so the client is never credited more than the book gives.
 */
export function fillMarketOrder(pair: Pair, side: Side, amount: { amountCcy1?: string; amountCcy2?: string }): MarketFill {
  const basePrecision = precisionOf(pair.base);
  const quotePrecision = precisionOf(pair.quote);
  const levels = side === 'BUY' ? orderBook(pair).asks : orderBook(pair).bids;
  const byBase = amount.amountCcy1 !== undefined;
  const wanted = byBase ? amount.amountCcy1 : amount.amountCcy2;
  if (wanted === undefined) throw new LedgerError('invalid', 'amountCcy1: either amountCcy1 or amountCcy2 is required');
  checkPrecision(byBase ? 'amountCcy1' : 'amountCcy2', wanted, byBase ? pair.base : pair.quote);

  // Walk the levels best first until the wanted amount (of base, or of quote) is reached.
  let remaining = new Big(wanted);
  let base = new Big(0);
  let quoteExact = new Big(0);
  let finished = false;
  for (const level of levels) {
    const levelBase = new Big(level.amount);
    const levelSize = byBase ? levelBase : levelBase.times(level.price);
    let take = levelBase;
    if (remaining.lte(levelSize)) {
      finished = true;
      if (byBase) take = remaining;
      // In quote terms: a buyer spends at most the amount; a seller receives at least it.
      else if (remaining.lt(levelSize))
        take = side === 'BUY' ? roundDown(remaining.div(level.price), basePrecision) : roundUp(remaining.div(level.price), basePrecision);
    }
    base = base.plus(take);
    quoteExact = quoteExact.plus(take.times(level.price));
    remaining = remaining.minus(levelSize);
    if (finished) break;
  }
  if (!finished) throw liquidityError();

  if (base.lt(pair.minBase))
    throw new LedgerError('out_of_range', `Order amount is below the minimum of ${pair.minBase} ${pair.base} for ${pairName(pair)}`);
  if (base.gt(pair.maxBase))
    throw new LedgerError('out_of_range', `Order amount is above the maximum of ${pair.maxBase} ${pair.base} for ${pairName(pair)}`);

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

/** The funds a resting limit order puts on hold: the quote cost of a BUY, the base of a SELL. */
export function limitOrderHold(pair: Pair, side: Side, amountCcy1: string, price: string): { currency: string; amount: string } {
  checkPrecision('amountCcy1', amountCcy1, pair.base);
  if (new Big(price).toFixed().split('.')[1]?.length > pair.pricePrecision) {
    throw new LedgerError('invalid', `price: at most ${pair.pricePrecision} decimals for ${pairName(pair)}`);
  }
  if (new Big(amountCcy1).lt(pair.minBase))
    throw new LedgerError('out_of_range', `Order amount is below the minimum of ${pair.minBase} ${pair.base} for ${pairName(pair)}`);
  if (new Big(amountCcy1).gt(pair.maxBase))
    throw new LedgerError('out_of_range', `Order amount is above the maximum of ${pair.maxBase} ${pair.base} for ${pairName(pair)}`);
  if (side === 'SELL') return { currency: pair.base, amount: plain(amountCcy1) };
  return { currency: pair.quote, amount: plain(roundUp(new Big(amountCcy1).times(price), precisionOf(pair.quote))) };
}
