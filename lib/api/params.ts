import { z } from 'zod';
import { parseAmount } from '@/lib/ledger/decimal';
import { findPairByName, isCurrency } from '@/lib/ledger/market';

/** Param schemas shared by the API actions; the gateway names the field in a 422. */

/** A positive decimal as a JSON string or number: no exponent, ≤ 18 decimals, ≤ 1e15. */
export const amountParam = z
  .union([z.string(), z.number()], { error: 'must be a decimal string or number' })
  .transform((raw, ctx) => {
    const parsed = parseAmount(raw);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  })
  .describe("decimal string or number, > 0, at most 18 decimals and the currency's precision, no exponent");

export const noControlChars = /^[^\u0000-\u001f\u007f]*$/;

/** A sub-account id: '' is the main account. */
export const subAccountParam = z
  .string({ error: 'must be a string' })
  .max(64)
  .regex(noControlChars, 'must not contain control characters')
  .describe('sub-account id, "" for the main account');

/** clientOrderId / clientTxId: what makes a retry idempotent. */
export const clientIdParam = z
  .string({ error: 'must be a string' })
  .min(1)
  .max(64)
  .regex(noControlChars, 'must not contain control characters')
  .describe('your own id, at most 64 characters; on a do_* action the same id again returns the original result');

/** A pair by its name, e.g. BTC-USD. */
export const pairParam = z
  .string({ error: 'must be a string' })
  .refine((p) => findPairByName(p) !== undefined, { message: 'unknown pair' });

export const currencyParam = z.string({ error: 'must be a string' }).max(16).refine(isCurrency, { message: 'unknown currency' });

const upper = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(values));

export const sideParam = upper(['BUY', 'SELL'] as const);
const sortOrderParam = upper(['ASC', 'DESC'] as const).default('DESC');

// The end of year 9999: later instants are valid in JavaScript but not in a database query.
const LAST_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A point in time: milliseconds since the epoch, or an ISO 8601 date-time, up to the end of 9999. */
export const dateParam = z
  .union([z.number().int().min(0).max(LAST_DATE_MS, 'must be no later than 9999-12-31'), z.iso.datetime({ offset: true })], {
    error: 'must be a timestamp in milliseconds or an ISO 8601 date-time',
  })
  .transform((v) => new Date(v))
  .refine((d) => d.getTime() >= 0 && d.getTime() <= LAST_DATE_MS, 'must be between 1970 and 9999');

export const pageParams = {
  pageSize: z.number().int().min(1).max(1000).default(100),
  pageNumber: z.number().int().min(1).max(1_000_000).default(1),
  sortOrder: sortOrderParam,
};

export const historyParams = {
  accountId: subAccountParam.optional(),
  currency: currencyParam.optional(),
  dateFrom: dateParam.optional(),
  dateTo: dateParam.optional(),
  ...pageParams,
};
