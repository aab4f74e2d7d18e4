import { LedgerError, type LedgerErrorCode } from '@/lib/ledger/errors';
import { isDatabaseUnavailable } from '@/lib/platform/database';

export type ApiStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503;

/** A refusal with the HTTP status and message the CEX.IO Prime wire protocol uses for it. */
export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const AUTH_FAILED = 'Authorization Failed';

export const authFailed = () => new ApiError(401, AUTH_FAILED);

/** The status CEX.IO Prime answers each ledger refusal with; the message is passed on as is. */
export const LEDGER_ERROR_STATUS: Record<LedgerErrorCode, ApiStatus> = {
  invalid: 422,
  out_of_range: 422,
  insufficient_funds: 422,
  insufficient_liquidity: 422,
  limit_reached: 422,
  not_cancellable: 422,
  not_found: 404,
  conflict: 409,
};

/**
 * The one mapping from domain errors to the wire: an ApiError as it is, a LedgerError with its
 * code's status and its message, an unreachable database as 503; anything else is not a refusal (null).
 */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof LedgerError) return new ApiError(LEDGER_ERROR_STATUS[error.code], error.message);
  if (isDatabaseUnavailable(error)) return serviceUnavailable();
  return null;
}

/** The database cannot be reached: a bot should retry shortly (a do_* with the same clientOrderId or clientTxId is safe to). */
export const serviceUnavailable = () => new ApiError(503, 'Service temporarily unavailable', 1);
