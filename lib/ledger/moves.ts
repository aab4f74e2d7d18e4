import type { Tx } from '@/db/client';
import { LedgerError } from './errors';
import { credit, creditWallet, debit, debitWallet } from './balances';

/**
 * One change to one balance row: a sub-account balance (available or on hold) or the wallet.
 * A debit only happens if the row holds enough (see `debit` in balances.ts).
 */
export type Move =
  | { on: 'balance'; op: 'debit' | 'credit'; subAccount: string; currency: string; amount: string; column?: 'available' | 'onHold' }
  | { on: 'wallet'; op: 'debit' | 'credit'; currency: string; amount: string };

const lockKey = (m: Move) => (m.on === 'wallet' ? `0\u0000${m.currency}` : `1\u0000${m.subAccount}\u0000${m.currency}`);

/**
 * Applies the moves of one transaction in a fixed row order — wallet rows, then sub-account rows
 * by id and currency — so that two transactions touching the same rows (a BUY and a SELL, a
 * transfer each way) always lock them in the same order and cannot deadlock. Stops at the first
 * debit the balance cannot cover and returns it; the caller then throws, rolling everything back.
 */
async function applyMoves(tx: Tx, accountId: string, moves: Move[]): Promise<Move | null> {
  const ordered = moves
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (lockKey(a.m) < lockKey(b.m) ? -1 : lockKey(a.m) > lockKey(b.m) ? 1 : a.i - b.i));
  for (const { m } of ordered) {
    if (m.on === 'wallet') {
      if (m.op === 'credit') await creditWallet(tx, accountId, m.currency, m.amount);
      else if (!(await debitWallet(tx, accountId, m.currency, m.amount))) return m;
    } else if (m.op === 'credit') await credit(tx, accountId, m.subAccount, m.currency, m.amount, m.column);
    else if (!(await debit(tx, accountId, m.subAccount, m.currency, m.amount, m.column))) return m;
  }
  return null;
}

/** applyMoves, throwing the client's error when a debit is refused. */
export async function applyMovesOrThrow(tx: Tx, accountId: string, moves: Move[]): Promise<void> {
  const refused = await applyMoves(tx, accountId, moves);
  if (!refused) return;
  if (refused.on === 'wallet') throw new LedgerError('insufficient_funds', 'Insufficient funds in the wallet');
  if (refused.column === 'onHold')
    throw new Error(`Ledger inconsistency: ${refused.amount} ${refused.currency} on hold is missing in '${refused.subAccount}'`);
  throw new LedgerError('insufficient_funds', 'Insufficient funds');
}
