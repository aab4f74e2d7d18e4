import { describe, expect, it } from 'vitest';
import { LedgerError } from './errors';
import { parseAmount } from './decimal';
import { fillMarketOrder, limitOrderHold } from './fill';
import { findPairByName, orderBook } from './market';

const btcUsd = findPairByName('BTC-USD')!;
const ethBtc = findPairByName('ETH-BTC')!;

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LedgerError);
    return (error as LedgerError).message;
  }
  throw new Error('expected a refusal');
}

describe('parseAmount', () => {
  it('accepts positive decimal strings and numbers, canonically', () => {
    expect(parseAmount('0.01')).toEqual({ ok: true, value: '0.01' });
    expect(parseAmount('001.500')).toEqual({ ok: true, value: '1.5' });
    expect(parseAmount(0.1)).toEqual({ ok: true, value: '0.1' });
    expect(parseAmount(250000)).toEqual({ ok: true, value: '250000' });
    expect(parseAmount('0.000000000000000001')).toEqual({ ok: true, value: '0.000000000000000001' });
  });

  it.each([
    ['1e5'],
    ['-1'],
    ['+1'],
    ['NaN'],
    ['Infinity'],
    [''],
    [' 1'],
    ['1.'],
    ['.5'],
    ['0'],
    ['0.000'],
    ['0.0000000000000000001'],
    ['1000000000000001'],
    ['0x10'],
    ['1,5'],
  ])('refuses %j', (raw) => expect(parseAmount(raw).ok).toBe(false));

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [-1], [0], [1e-7], [1e21]])('refuses the number %s', (raw) =>
    expect(parseAmount(raw).ok).toBe(false),
  );
});

describe('fillMarketOrder', () => {
  it('buys an amount of the base at the best ask, fee in the base', () => {
    expect(fillMarketOrder(btcUsd, 'BUY', { amountCcy1: '0.01' })).toEqual({
      base: '0.01',
      quote: '600.3',
      averagePrice: '60030',
      pay: { currency: 'USD', amount: '600.3' },
      receive: { currency: 'BTC', amount: '0.01' },
      fee: { currency: 'BTC', amount: '0.000025' },
    });
  });

  it('walks a book shared by every order, which no caller can change', () => {
    const book = orderBook(btcUsd);
    expect(orderBook(btcUsd)).toBe(book);
    expect(() => ((book.asks[0] as { price: string }).price = '1')).toThrow(TypeError);
    expect(() => (book.asks as unknown[]).pop()).toThrow(TypeError);
    expect(fillMarketOrder(btcUsd, 'BUY', { amountCcy1: '0.01' }).averagePrice).toBe('60030');
  });

  it('walks the levels when the first is not enough', () => {
    // 2.5 BTC at 60030, then 0.5 of the 5 BTC at 60060.
    const fill = fillMarketOrder(btcUsd, 'BUY', { amountCcy1: '3' });
    expect(fill.quote).toBe('180105');
    expect(fill.averagePrice).toBe('60035');
    expect(fill.fee).toEqual({ currency: 'BTC', amount: '0.0075' });
  });

  it('sells at the best bid, fee in the quote rounded up to its precision', () => {
    const fill = fillMarketOrder(btcUsd, 'SELL', { amountCcy1: '0.01' });
    expect(fill.quote).toBe('599.7');
    expect(fill.pay).toEqual({ currency: 'BTC', amount: '0.01' });
    expect(fill.fee).toEqual({ currency: 'USD', amount: '1.5' }); // 1.49925 → 1.50
  });

  it('spends an amount of the quote on a BUY, never more than asked', () => {
    const fill = fillMarketOrder(btcUsd, 'BUY', { amountCcy2: '1000' });
    expect(fill.base).toBe('0.01665833');
    expect(Number(fill.quote)).toBeLessThanOrEqual(1000);
    expect(fill.quote).toBe('1000');
  });

  it('sells enough base to receive an amount of the quote on a SELL', () => {
    const fill = fillMarketOrder(btcUsd, 'SELL', { amountCcy2: '1000' });
    expect(fill.base).toBe('0.01667501');
    expect(fill.quote).toBe('1000');
  });

  it('prices a crypto-quoted pair', () => {
    const fill = fillMarketOrder(ethBtc, 'BUY', { amountCcy1: '1' });
    expect(fill.quote).toBe('0.050025');
    expect(fill.pay.currency).toBe('BTC');
  });

  it('refuses more than the book holds, below the minimum, and too many decimals', () => {
    expect(refusal(() => fillMarketOrder(btcUsd, 'BUY', { amountCcy1: '40' }))).toMatch(/liquidity/);
    expect(refusal(() => fillMarketOrder(btcUsd, 'SELL', { amountCcy2: '100000000' }))).toMatch(/liquidity/);
    expect(refusal(() => fillMarketOrder(btcUsd, 'BUY', { amountCcy1: '0.00001' }))).toMatch(/below the minimum of 0.0001 BTC/);
    expect(refusal(() => fillMarketOrder(btcUsd, 'BUY', { amountCcy2: '1' }))).toMatch(/below the minimum/);
    expect(refusal(() => fillMarketOrder(btcUsd, 'BUY', { amountCcy2: '10.001' }))).toBe('amountCcy2: at most 2 decimals for USD');
    expect(refusal(() => fillMarketOrder(btcUsd, 'BUY', { amountCcy1: '0.123456789' }))).toBe('amountCcy1: at most 8 decimals for BTC');
    expect(refusal(() => fillMarketOrder(btcUsd, 'BUY', {}))).toMatch(/either amountCcy1 or amountCcy2/);
  });
});

describe('limitOrderHold', () => {
  it('holds the quote cost of a BUY and the base of a SELL', () => {
    expect(limitOrderHold(btcUsd, 'BUY', '0.01', '50000')).toEqual({ currency: 'USD', amount: '500' });
    expect(limitOrderHold(btcUsd, 'BUY', '0.00012345', '50000.1')).toEqual({ currency: 'USD', amount: '6.18' }); // 6.17251234… rounded up
    expect(limitOrderHold(btcUsd, 'SELL', '0.5', '70000')).toEqual({ currency: 'BTC', amount: '0.5' });
  });

  it('refuses a price finer than the pair allows and sizes out of range', () => {
    expect(refusal(() => limitOrderHold(btcUsd, 'BUY', '0.01', '50000.05'))).toBe('price: at most 1 decimals for BTC-USD');
    expect(refusal(() => limitOrderHold(btcUsd, 'BUY', '51', '50000'))).toMatch(/above the maximum/);
  });
});
