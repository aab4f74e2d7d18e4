/**
 * Why the ledger refused a request. The message is the client's: it names the field or the rule
 * and is sent as is. The ledger knows nothing of HTTP; lib/api maps each code to a status.
 *
 * - invalid: the request itself is wrong (unknown currency or pair, a field missing, too many
 *   decimals, an address that is not valid)
 * - out_of_range: an order amount outside the pair's minimum and maximum
 * - insufficient_funds: a debit the balance (or the wallet) cannot cover
 * - insufficient_liquidity: the order book cannot fill the amount
 * - limit_reached: the account has as many sub-accounts as it may have
 * - not_cancellable: the order is in a state that cannot be cancelled (filled)
 * - not_found: no such order for this account
 * - conflict: a client id already used for something else, or taken by a concurrent request
 */
export type LedgerErrorCode =
  | 'invalid'
  | 'out_of_range'
  | 'insufficient_funds'
  | 'insufficient_liquidity'
  | 'limit_reached'
  | 'not_cancellable'
  | 'not_found'
  | 'conflict';

/** A refusal of the ledger: a domain code and the client's message. */
export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}
