import type { Db } from '@/db/client';
import type { OnceClaim } from '@/db/queries/replay-claims';
import { GroupCommit } from '@/lib/platform/group-commit';
import { pipelinedLedgerTransaction } from './balance-cache';
import { LedgerError } from './errors';
import { checkPrice, fillLimitOrder, fillMarketOrder, limitOrderHold } from './fill';
import { findPair } from './market';
import { isRejection, type LedgerContext, type NewOrder, type OrderRequest, type Plan } from './order-decisions';
import { isClientOrderIdTaken, placeBatch, timeInForceOf, type OrderReport, type Placed } from './order-placement';

export { REJECT_CODES, type LedgerContext, type NewOrder } from './order-decisions';
export type { OrderReport } from './order-placement';

/**
 * Placing orders on the demo ledger. A market order, and a limit order that must execute at once
 * (IOC, FOK), fill against the demo book; other limit and stop-limit orders rest with their funds
 * on hold until cancelled or, GTD, expired (./resting-orders.ts). Orders of one account that
 * arrive together are placed together, in one database transaction (./order-placement.ts).
 */

/**
 * Places an order. With `once` (an API call's claim on its signature, lib/api/replay-guard.ts)
 * the claim is made in the order's transaction and the answer recorded there: a copy of a call
 * claimed first is refused with AlreadyClaimed, and places nothing. The same `clientOrderId` again returns the original order and moves nothing,
 * also when two identical requests race: the unique index decides, the loser reads the winner's row.
 * An order the account cannot afford, outside the pair's limits or beyond the book's liquidity is
 * kept as REJECTED, with its reason, and reported like any other (nothing moves).
 */
export function placeOrder(db: Db, ctx: LedgerContext, input: NewOrder, once?: OnceClaim<OrderReport>): Promise<Placed> {
  return batchesOf(db).run(ctx.accountId, { ctx, input, plan: planOf(input, ctx.now), once });
}

// The first attempt may find a clientOrderId taken, and the second looks them up; the others
// cover a deadlock, or another process taking one in between.
const MAX_ATTEMPTS = 4;
// A clientOrderId was taken (a retry, or another process's order), or PostgreSQL broke a deadlock
// (40P01) or a serialization failure (40001): the batch's transaction rolled back whole, and runs again.
const isRetryable = (error: unknown): boolean => {
  if (isClientOrderIdTaken(error)) return true;
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === '40P01' || code === '40001';
};

const batches = new WeakMap<Db, GroupCommit<string, OrderRequest, Placed>>();

/** Per database handle, one group commit per account: its orders queue behind its own batch only. */
function batchesOf(db: Db): GroupCommit<string, OrderRequest, Placed> {
  let group = batches.get(db);
  if (!group) {
    group = new GroupCommit(async (accountId, requests) => {
      let lookUpKnown = false;
      for (let attempt = 1; ; attempt++) {
        try {
          return await pipelinedLedgerTransaction(db, accountId, (tx, commit) => placeBatch(tx, commit, accountId, requests, lookUpKnown));
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
          lookUpKnown ||= isClientOrderIdTaken(error);
        }
      }
    });
    batches.set(db, group);
  }
  return group;
}

/**
 * What an order will do, from the request and the book alone: fill now (all or part), expire
 * unfilled, or rest with funds on hold — or be refused as malformed (an error) or rejected (kept
 * as REJECTED). Whether the account can pay is decided in the batch.
 */
function planOf(input: NewOrder, now: Date): Plan {
  try {
    return { kind: 'execute', ...executionOf(input, now) };
  } catch (error) {
    if (isRejection(error)) return { kind: 'rejected', rejection: error };
    if (error instanceof LedgerError) return { kind: 'invalid', error };
    throw error;
  }
}

function executionOf(input: NewOrder, now: Date) {
  const pair = findPair(input.currency1, input.currency2);
  if (!pair) throw new LedgerError('invalid', `Unknown pair ${input.currency1}-${input.currency2}`);
  if (input.amountCcy1 !== undefined && input.amountCcy2 !== undefined)
    throw new LedgerError('invalid', 'amountCcy2: give either amountCcy1 or amountCcy2, not both');
  if (input.orderType === 'Market') return { pair, fill: fillMarketOrder(pair, input.side, input), complete: true, hold: null };
  if (input.amountCcy1 === undefined || input.price === undefined || input.amountCcy2 !== undefined) {
    throw new LedgerError('invalid', `A ${input.orderType} order needs amountCcy1 and price (amountCcy2 is for Market orders)`);
  }
  const hold = limitOrderHold(pair, input.side, input.amountCcy1, input.price);
  const tif = timeInForceOf(input);
  if (input.orderType === 'StopLimit') {
    if (input.stopPrice === undefined) throw new LedgerError('invalid', 'stopPrice: required for a StopLimit order');
    checkPrice(pair, 'stopPrice', input.stopPrice);
  }
  if (tif === 'GTD' && !(input.expireTime && input.expireTime > now)) {
    throw new LedgerError('invalid', 'expireTime: a GTD order needs an expireTime in the future');
  }
  if (tif !== 'IOC' && tif !== 'FOK') return { pair, fill: null, complete: false, hold };
  const fill = fillLimitOrder(pair, input.side, input.amountCcy1, input.price);
  // Fill-or-kill: a part is not enough, and nothing moves.
  if (!fill || (tif === 'FOK' && !fill.complete)) return { pair, fill: null, complete: false, hold: null };
  return { pair, fill, complete: fill.complete, hold: null };
}
