import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerError } from '@/lib/ledger/errors';
import { ApiError, LEDGER_ERROR_STATUS, toApiError } from './errors';
import { errorResponse } from './responses';

describe('the mapping of domain errors to HTTP', () => {
  it.each([
    ['invalid', 'currency: unknown currency XYZ', 422],
    ['insufficient_funds', 'Insufficient funds', 422],
    ['insufficient_liquidity', 'Not enough liquidity in the order book for this amount', 422],
    ['limit_reached', 'Sub-account limit of 20 reached', 422],
    ['not_cancellable', 'Order 7 is FILLED and cannot be cancelled', 422],
    ['not_found', 'Order not found', 404],
    ['conflict', 'clientTxId was already used for a deposit', 409],
  ] as const)('answers a ledger %s refusal (%s) with its message and a %i', (code, message, status) => {
    expect(LEDGER_ERROR_STATUS[code]).toBe(status);
    expect(errorResponse(new LedgerError(code, message))).toEqual({ status, body: { error: message }, headers: undefined });
  });

  it('passes an ApiError through as it is and leaves other errors to the 500 path', () => {
    const limited = new ApiError(429, 'Rate limit exceeded', 3);
    expect(toApiError(limited)).toBe(limited);
    expect(errorResponse(limited)).toEqual({ status: 429, body: { error: 'Rate limit exceeded' }, headers: { 'Retry-After': '3' } });
    expect(toApiError(new Error('boom'))).toBeNull();
  });

  it('keeps HTTP out of the ledger: lib/ledger imports nothing from lib/api', () => {
    const dir = path.join(process.cwd(), 'lib/ledger');
    const offenders = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && /from '@\/lib\/api\//.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
