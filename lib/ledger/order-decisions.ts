import Big from 'big.js';
import { LedgerError } from './errors';
import type { MarketFill } from './fill';
import type { PAIRS } from './market';
import type { OnceClaim } from '@/db/queries/replay-claims';
import type { OrderReport } from './order-batch-write';
import type { OrderRow } from './order-view';

/**
 * A batch of one account's orders decided in memory: each request, in arrival order, against the
 * balances the earlier ones left. lib/ledger/order-placement.ts reads the rows this needs and
 * writes what it decided.
 */

type Pair = (typeof PAIRS)[number];

export interface LedgerContext {
  accountId: string;
  apiKeyId: string | null;
  now: Date;
}

export interface NewOrder {
  subAccount: string;
  clientOrderId: string;
  currency1: string;
  currency2: string;
  side: 'BUY' | 'SELL';
  orderType: 'Market' | 'Limit' | 'StopLimit';
  /** GTC unless given; a Market order is always IOC (FOK is the same for it: all or nothing). */
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'GTD';
  amountCcy1?: string;
  amountCcy2?: string;
  price?: string;
  stopPrice?: string;
  /** GTD only: when the resting order expires. */
  expireTime?: Date;
  comment?: string;
}

/**
 * Why an order can be refused after it was well formed — CEX.IO answers these with the order,
 * `status: "REJECTED"`, and a code and reason, not with an error. The codes are Keydesk's own and
 * documented in /docs/api.
 */
export const REJECT_CODES = { insufficient_funds: 1, out_of_range: 2, insufficient_liquidity: 3 } as const;
export type Rejection = LedgerError & { code: keyof typeof REJECT_CODES };
export const isRejection = (error: unknown): error is Rejection => error instanceof LedgerError && error.code in REJECT_CODES;

/** What an order will do, decided from the request and the book alone — before any balance is read. */
export type Plan =
  | { kind: 'invalid'; error: LedgerError }
  | { kind: 'rejected'; rejection: Rejection }
  | { kind: 'execute'; pair: Pair; fill: MarketFill | null; complete: boolean; hold: { currency: string; amount: string } | null };

export interface OrderRequest {
  ctx: LedgerContext;
  input: NewOrder;
  plan: Plan;
  /** An API call's claim on its signature, made in the batch's transaction (db/queries/replay-claims.ts). */
  once?: OnceClaim<OrderReport>;
}

export const balanceKey = (subAccount: string, currency: string) => `${subAccount}\u0000${currency}`;

/** A balance row as the batch sees it: locked start, the batch's running value, its net change. */
export interface BalanceRow {
  /** Locked when the batch began; otherwise created by the batch's write. */
  existed: boolean;
  subAccount: string;
  currency: string;
  available: Big;
  onHold: Big;
  deltaAvailable: Big;
  deltaOnHold: Big;
}

export type Move = { subAccount: string; currency: string; column: 'available' | 'onHold'; amount: Big };

/** One request's fate in the batch. */
export type Decision =
  | { kind: 'error'; error: LedgerError }
  | { kind: 'known'; row: OrderRow }
  | { kind: 'same-as'; index: number }
  /** A copy of an API call whose signature an earlier copy claimed: it takes no effect. */
  | { kind: 'replayed' }
  | { kind: 'reject'; rejection: Rejection }
  | { kind: 'execute'; plan: Extract<Plan, { kind: 'execute' }>; moves: Move[]; snapshots: Map<string, BalanceSnapshot> };

/** A balance of the order's sub-account, by currency, as it stood right after the order. */
interface BalanceSnapshot {
  available: Big;
  onHold: Big;
}

const insufficientFunds = () => new LedgerError('insufficient_funds', 'Insufficient funds') as Rejection;

/** The balance moves of an executing order: pay and receive (less the fee), or the hold. */
export function movesOf(plan: Extract<Plan, { kind: 'execute' }>, subAccount: string): Move[] {
  if (plan.fill) {
    const { pay, receive, fee } = plan.fill;
    return [
      { subAccount, currency: pay.currency, column: 'available', amount: new Big(pay.amount).neg() },
      { subAccount, currency: receive.currency, column: 'available', amount: new Big(receive.amount).minus(fee.amount) },
    ];
  }
  if (plan.hold) {
    const amount = new Big(plan.hold.amount);
    return [
      { subAccount, currency: plan.hold.currency, column: 'available', amount: amount.neg() },
      { subAccount, currency: plan.hold.currency, column: 'onHold', amount },
    ];
  }
  return [];
}

/** Each request in arrival order against the balances the earlier ones left; `replayed` ones (by index) take no part. */
export function decide(
  requests: OrderRequest[],
  known: Map<string, OrderRow>,
  rows: Map<string, BalanceRow>,
  replayed: ReadonlySet<number> = new Set(),
): Decision[] {
  const placedAt = new Map<string, number>();
  return requests.map(({ input, plan }, index): Decision => {
    if (replayed.has(index)) return { kind: 'replayed' };
    const original = known.get(input.clientOrderId);
    if (original) return { kind: 'known', row: original };
    const earlier = placedAt.get(input.clientOrderId);
    if (earlier !== undefined) return { kind: 'same-as', index: earlier };
    if (plan.kind === 'invalid') return { kind: 'error', error: plan.error };
    placedAt.set(input.clientOrderId, index);
    if (plan.kind === 'rejected') return { kind: 'reject', rejection: plan.rejection };
    const moves = movesOf(plan, input.subAccount);
    const affordable = moves.every((m) => {
      if (m.amount.gte(0)) return true;
      const row = rows.get(balanceKey(m.subAccount, m.currency))!;
      return (m.column === 'available' ? row.available : row.onHold).gte(m.amount.neg());
    });
    if (!affordable) return { kind: 'reject', rejection: insufficientFunds() };
    const snapshots = new Map<string, BalanceSnapshot>();
    for (const m of moves) {
      const row = rows.get(balanceKey(m.subAccount, m.currency))!;
      if (m.column === 'available') {
        row.available = row.available.plus(m.amount);
        row.deltaAvailable = row.deltaAvailable.plus(m.amount);
      } else {
        row.onHold = row.onHold.plus(m.amount);
        row.deltaOnHold = row.deltaOnHold.plus(m.amount);
      }
      snapshots.set(m.currency, { available: row.available, onHold: row.onHold });
    }
    return { kind: 'execute', plan, moves, snapshots };
  });
}
