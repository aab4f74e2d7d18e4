import { sql, type SQL } from 'drizzle-orm';
import { apiReplayGuard } from '../schema';

/**
 * The replay guard's rows (lib/api/replay-guard.ts): a mutating API call's claim on its
 * signature, and the answer its retries get. The guard writes them in statements of its own; an
 * action that takes its effect in a transaction of its own (an order, lib/ledger/orders.ts) makes
 * its call's claim and records its answer in that transaction, so that the claim, the effect and
 * the answer commit together or not at all.
 */

export interface StoredResponse {
  status: number;
  body: Record<string, unknown>;
}

/** A call's claim on its signature: `id` is the key's id and the signature. */
export interface ReplayClaim {
  id: string;
  expiresAt: Date;
}

/** A call that must take effect once, claimed in the transaction that takes its effect. */
export interface OnceClaim<T> extends ReplayClaim {
  /** The answer its retries get, from the action's outcome: its result, or the error it was refused with. */
  answerOf: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => StoredResponse;
}

/** The call's signature was claimed by an earlier copy: this copy takes no effect, and gets that copy's answer. */
export class AlreadyClaimed extends Error {
  constructor() {
    super('A copy of this call claimed its signature first');
    this.name = 'AlreadyClaimed';
  }
}

const always = sql`true`;

/**
 * Inserts the claims; returns the signatures claimed. A signature already claimed (or twice in
 * `claims`) is claimed once. Claims are inserted in one order, so that two transactions claiming
 * the same signatures wait for each other rather than deadlock. `condition` rides on every row
 * (the guard's own statements switch their commit's WAL flush off with it).
 */
export function claimRows(claims: ReplayClaim[], condition: SQL = always): SQL {
  const rows = claims.map((c) => ({ id: c.id, expires: c.expiresAt.toISOString() }));
  return sql`
    insert into ${apiReplayGuard} (signature, expires_at)
    select c.id, c.expires from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as c(id text, expires timestamptz)
    where ${condition} is not null
    order by c.id collate "C"
    on conflict do nothing
    returning signature`;
}

/**
 * Records answers on their claims (an UPDATE, usable as a CTE). The rows are found by the primary
 * key (= any), whatever the planner believes of the table's size.
 */
export function answerRows(answers: { id: string; response: StoredResponse }[], condition: SQL = always): SQL {
  const rows = answers.map((a) => ({ id: a.id, status: a.response.status, body: JSON.stringify(a.response.body) }));
  return sql`
    update ${apiReplayGuard} set response_status = a.status, response_body = a.body
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as a(id text, status integer, body text)
    where ${apiReplayGuard.signature} = any(array(select jsonb_array_elements_text(${JSON.stringify(rows.map((a) => a.id))}::jsonb)))
      and ${apiReplayGuard.signature} = a.id and ${condition} is not null`;
}
