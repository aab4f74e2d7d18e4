import Big from 'big.js';
import { LedgerError } from './errors';
import { CURRENCIES, isCurrency } from './market';

/**
 * Exact decimal amounts for the ledger. Amounts travel as strings (numeric(38,18) in the
 * database), are parsed strictly — no exponents, no signs, at most 18 decimals — and are
 * computed with big.js, never with binary floating point.
 */
const MAX_AMOUNT = '1000000000000000'; // 1e15: far above any demo balance, far below numeric(38,18)
const DECIMAL = /^\d{1,20}(\.\d{1,18})?$/;

export type AmountParse = { ok: true; value: string } | { ok: false; message: string };

/** A positive amount from a JSON string or number, as a canonical decimal string. */
export function parseAmount(raw: string | number): AmountParse {
  const text = typeof raw === 'number' ? (Number.isFinite(raw) ? String(raw) : 'NaN') : raw;
  if (!DECIMAL.test(text)) return { ok: false, message: 'must be a positive decimal number with at most 18 decimals (no exponent)' };
  const value = new Big(text);
  if (value.lte(0)) return { ok: false, message: 'must be greater than 0' };
  if (value.gt(MAX_AMOUNT)) return { ok: false, message: `must not exceed ${MAX_AMOUNT}` };
  return { ok: true, value: value.toFixed() };
}

/** Number of decimals a canonical decimal string carries. */
function decimalsOf(value: string): number {
  const dot = value.indexOf('.');
  return dot === -1 ? 0 : value.length - dot - 1;
}

export function precisionOf(currency: string): number {
  return isCurrency(currency) ? CURRENCIES[currency].precision : 8;
}

/** Refuses an amount finer than the currency's precision (the ledger never hides dust). */
export function checkPrecision(field: string, amount: string, currency: string): void {
  const precision = precisionOf(currency);
  if (decimalsOf(new Big(amount).toFixed()) > precision) {
    throw new LedgerError('invalid', `${field}: at most ${precision} decimals for ${currency}`);
  }
}

export const roundUp = (value: Big, dp: number) => value.round(dp, Big.roundUp);
export const roundDown = (value: Big, dp: number) => value.round(dp, Big.roundDown);

/** Normal notation without trailing zeros (Big's toString switches to exponents for small values). */
export function plain(value: Big | string): string {
  return new Big(value).toFixed();
}
