import Big from 'big.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type CommitWith, type Tx } from '@/db/client';
import { AlreadyClaimed, claimRows, type ReplayClaim } from '@/db/queries/replay-claims';
import { balances, orders } from '@/db/schema';
import type { AccountEvent } from '@/lib/platform/events';
import { settledError, settledValue, type Settled } from '@/lib/platform/group-commit';
import { balanceKey, decide, movesOf, type BalanceRow, type OrderRequest } from './order-decisions';
import { reportOf, type OrderRow } from './order-view';
import { eventsOf, orderRow, tradesOf, writeBatch, type OrderReport, type Placing } from './order-batch-write';

export { timeInForceOf } from './order-batch-write';
export type { OrderReport } from './order-batch-write';

export interface Placed {
  report: OrderReport;
  duplicate: boolean;
}

/** The batch's write failed on a clientOrderId already taken: PostgreSQL's unique violation of orders_client_id_uq. */
export function isClientOrderIdTaken(error: unknown): boolean {
  // Drizzle wraps the driver's error (cause); postgres.js names the constraint constraint_name, PGlite constraint.
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const { code, constraint_name, constraint } = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (code === '23505') return (constraint_name ?? constraint) === 'orders_client_id_uq';
  }
  return false;
}

/**
 * Places a batch of one account's orders in the caller's transaction, as if one after another in
 * arrival order: the balances they touch are locked once (in a fixed order, as every ledger writer
 * locks them), each order is checked against what the ones before it left, and everything the
 * batch decided — orders, balance changes, the trade log, the events, the answers recorded for
 * API calls' retries — is written by one statement. On PostgreSQL two round trips whatever the
 * batch's size: `tx` is a pipelinedTransaction, its BEGIN sent with the reads and its COMMIT right
 * behind the write.
 *
 * An API call's order carries its claim on its signature (`once`): the claims are made with the
 * reads, and a copy whose signature was claimed first (by an earlier batch, another process, or
 * earlier in this one) takes no effect and is refused with AlreadyClaimed. The claims roll back
 * with the batch: a call the batch failed can run again.
 *
 * A clientOrderId used before is rare (a bot's retry), so the orders are not looked up first
 * unless `lookUpKnown`: the write then fails on the taken one (isClientOrderIdTaken), the batch
 * rolls back, and the caller runs it again with the look-up, which answers it with the original.
 */
export async function placeBatch(
  tx: Tx,
  commit: CommitWith,
  accountId: string,
  requests: OrderRequest[],
  lookUpKnown: boolean,
): Promise<Settled<Placed>[]> {
  const claims = requests.flatMap((r) => (r.once ? [r.once] : []));
  // Statements that do not need each other's results are sent together: on PostgreSQL they are
  // pipelined on the transaction's connection, one round trip for them all.
  const [claimed, known, rows, ids] = await Promise.all([
    claims.length > 0 ? claimedIds(tx, claims) : new Set<string>(),
    lookUpKnown ? knownOrders(tx, accountId, requests) : new Map<string, OrderRow>(),
    lockBalances(tx, accountId, requests),
    newOrderIds(tx, requests.length),
  ]);
  // The same signature twice in one batch: the first copy claimed it, the second is its retry.
  const replayed = new Set(requests.flatMap((r, i) => (r.once && !claimed.delete(r.once.id) ? [i] : [])));
  const decisions = decide(requests, known, rows, replayed);

  const placing = decisions.flatMap((d, i) => (d.kind === 'execute' || d.kind === 'reject' ? [i] : []));
  const placed = new Map<number, OrderRow>();
  placing.forEach((i, n) => placed.set(i, orderRow(ids[n], requests[i], decisions[i] as Placing)));

  const events: AccountEvent[] = [];
  const reports = new Map<number, OrderReport>();
  for (const i of placing) {
    const { report, pushed } = eventsOf(accountId, requests[i], decisions[i], placed.get(i)!);
    reports.set(i, report);
    events.push(...pushed);
  }
  // A retry of an order placed before (its clientOrderId): its report, read before the write so
  // that the answer recorded for its call commits with the batch.
  await Promise.all(
    decisions.map(async (d, i) => {
      if (d.kind === 'known') reports.set(i, await reportOf(tx, d.row));
    }),
  );
  const outcomes = decisions.map((d, i): Settled<Placed> => {
    if (d.kind === 'error') return settledError(d.error);
    if (d.kind === 'replayed') return settledError(new AlreadyClaimed());
    if (d.kind === 'same-as') return settledValue({ report: reports.get(d.index)!, duplicate: true });
    return settledValue({ report: reports.get(i)!, duplicate: d.kind === 'known' });
  });
  const answers = requests.flatMap(({ once }, i) => {
    const outcome = outcomes[i];
    if (!once || decisions[i].kind === 'replayed') return [];
    return [{ id: once.id, response: once.answerOf(outcome.ok ? settledValue(outcome.value.report) : outcome) }];
  });
  await commit(
    writeBatch(accountId, [...placed.values()], rows, tradesOf(accountId, placing, requests, decisions, placed), events, answers),
  );
  return outcomes;
}

/** Claims the calls' signatures; returns those claimed now (not by an earlier copy). */
async function claimedIds(tx: Tx, claims: ReplayClaim[]): Promise<Set<string>> {
  return new Set(rowsOf<{ signature: string }>(await tx.execute(claimRows(claims))).map((row) => row.signature));
}

/**
 * Ids for the batch's new orders, taken from the orders' own sequence before the write, so that
 * one statement can write an order together with the trade log and events that name it. An id
 * left unused (a retry, a malformed order) is a gap, as a rolled-back insert leaves one.
 */
async function newOrderIds(tx: Tx, count: number): Promise<number[]> {
  const result = await tx.execute(sql`select nextval(pg_get_serial_sequence('orders', 'id')) as id from generate_series(1, ${count}::int)`);
  return rowsOf<{ id: string | number | bigint }>(result).map((row) => Number(row.id));
}

/** Orders already placed under the batch's clientOrderIds: a retry gets the original. */
async function knownOrders(tx: Tx, accountId: string, requests: OrderRequest[]): Promise<Map<string, OrderRow>> {
  const ids = [...new Set(requests.map((r) => r.input.clientOrderId))];
  const rows = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.accountId, accountId), inArray(orders.clientOrderId, ids)));
  return new Map(rows.map((row) => [row.clientOrderId, row]));
}

/** Locks the existing balance rows the batch may touch, in the ledger's lock order. */
async function lockBalances(tx: Tx, accountId: string, requests: OrderRequest[]): Promise<Map<string, BalanceRow>> {
  const touched = requests.flatMap(({ plan, input }) => (plan.kind === 'execute' ? movesOf(plan, input.subAccount) : []));
  const result = new Map<string, BalanceRow>();
  if (touched.length === 0) return result;
  const locked = await tx
    .select({ subAccount: balances.subAccount, currency: balances.currency, available: balances.available, onHold: balances.onHold })
    .from(balances)
    .where(
      and(
        eq(balances.accountId, accountId),
        inArray(balances.subAccount, [...new Set(touched.map((m) => m.subAccount))]),
        inArray(balances.currency, [...new Set(touched.map((m) => m.currency))]),
      ),
    )
    // Byte order, as lib/ledger/moves.ts sorts its rows: every writer locks rows in one order.
    .orderBy(sql`${balances.subAccount} collate "C"`, sql`${balances.currency} collate "C"`)
    .for('update');
  const zero = new Big(0);
  for (const r of locked) {
    result.set(balanceKey(r.subAccount, r.currency), {
      existed: true,
      subAccount: r.subAccount,
      currency: r.currency,
      available: new Big(r.available),
      onHold: new Big(r.onHold),
      deltaAvailable: zero,
      deltaOnHold: zero,
    });
  }
  // A row that does not exist yet holds nothing: it can be credited (created on write), not debited.
  for (const m of touched) {
    const key = balanceKey(m.subAccount, m.currency);
    if (!result.has(key)) {
      result.set(key, {
        existed: false,
        subAccount: m.subAccount,
        currency: m.currency,
        available: zero,
        onHold: zero,
        deltaAvailable: zero,
        deltaOnHold: zero,
      });
    }
  }
  return result;
}
