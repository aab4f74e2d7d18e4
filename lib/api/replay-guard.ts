import { and, eq, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiReplayGuard } from '@/db/schema';
import { rowsOf } from '@/db/client';
import { GroupCommit, settledValue } from '@/lib/platform/group-commit';
import { errorText, log } from '@/lib/platform/log';
import { answerRows, claimRows, type OnceClaim, type ReplayClaim, type StoredResponse } from '@/db/queries/replay-claims';
import { errorResponse, okResponse, type ApiResponse } from './responses';

export type { StoredResponse } from '@/db/queries/replay-claims';

// The guard's own statements do not wait for their commit's WAL flush (writeAll).
const WITHOUT_WAL_FLUSH = sql`set_config('synchronous_commit', 'off', true)`;

/** What is kept of an answer for its retries: its status and body (an ApiResponse's headers are not). */
const storedOf = ({ status, body }: ApiResponse): StoredResponse => ({ status, body });

const POLL_MS = 25;
const ALL = 'all';
const WAIT_FOR_FIRST_MS = 5_000;

/** What the guard writes: a request's claim on its signature, or the answer it gave. */
type Write = { kind: 'claim'; id: string; expiresAt: Date } | { kind: 'answer'; id: string; response: StoredResponse };

/**
 * A mutating request takes effect once. Timestamps are whole seconds, so a bot that sends the same
 * call twice in a second (or retries a timeout) sends the same bytes with the same signature:
 * that is a retry, and it gets the first request's answer again — status and body, a refusal
 * included — with no second effect. Signatures and answers are kept in the database (every
 * process sees them) until the timestamp has left the allowed window, after which the request is
 * refused anyway.
 */
export class ReplayGuard {
  private insertsSincePrune = 0;
  private readonly settling = new Set<Promise<void>>();
  // Under load, the claims and the answers of concurrent requests share one statement: a claim
  // rides with the answers of requests that finished meanwhile, and the other way round.
  private readonly writes = new GroupCommit<typeof ALL, Write, boolean>((_, items) => this.writeAll(items));

  constructor(
    private readonly db: () => Db,
    private readonly windowSeconds: number,
  ) {}

  /**
   * A claim for an action that makes it in the transaction that takes its effect (its handler
   * gets it as `ctx.once`, ./action.ts), with the answer recorded there too: one transaction, not
   * a claim, the effect and an answer in turn. A copy whose signature was claimed first is refused
   * with AlreadyClaimed, and gets the first copy's answer from firstResponse.
   */
  ticket(keyId: string, signature: string, now: Date): OnceClaim<unknown> {
    this.counted(1);
    return {
      id: `${keyId}:${signature}`,
      expiresAt: this.expiry(now),
      answerOf: (outcome) => storedOf(outcome.ok ? okResponse(outcome.value) : errorResponse(outcome.error)),
    };
  }

  private expiry(now: Date): Date {
    return new Date(now.getTime() + 2 * this.windowSeconds * 1000);
  }

  /** True for the first request with this signature: it runs, and `settle` records its answer. */
  claim(keyId: string, signature: string, now = new Date()): Promise<boolean> {
    return this.writes.run(ALL, { kind: 'claim', id: `${keyId}:${signature}`, expiresAt: this.expiry(now) });
  }

  /**
   * Records the answer a retry will get. The request does not wait for it: its answer rides with
   * the next statement of claims and answers. A retry that comes first waits for it (firstResponse),
   * as it waits for a first request still running; one that fails to be written is logged, and its
   * retries are answered "still being processed" until the claim expires, as after a crash.
   */
  settle(keyId: string, signature: string, response: StoredResponse): void {
    const written = this.writes
      .run(ALL, { kind: 'answer', id: `${keyId}:${signature}`, response })
      .then(
        () => undefined,
        (error: unknown) => log.error({ err: errorText(error) }, 'could not record the answer to a mutating API call'),
      )
      .finally(() => this.settling.delete(written));
    this.settling.add(written);
  }

  /** Until every answer given so far is written (a node stopping), those of calls finishing meanwhile too. */
  async flush(): Promise<void> {
    while (this.settling.size > 0) await Promise.all([...this.settling]);
  }

  // The statement does not wait for its own WAL flush (synchronous_commit off for its transaction
  // alone). A claim is only needed by the effect it guards, and that effect commits after it,
  // synchronously: flushing the effect's commit flushes the earlier claim with it. Without an
  // effect, a claim lost in a crash lets the retry run — which is right. A lost answer makes a
  // retry wait, as it would had the process died before settling.
  // An answer is for a claim an earlier statement made (its request ran in between), so one
  // statement never claims and answers the same signature.
  private async writeAll(items: Write[]) {
    const claims: ReplayClaim[] = [];
    const answers: { id: string; response: StoredResponse }[] = [];
    for (const item of items) {
      if (item.kind === 'claim') claims.push({ id: item.id, expiresAt: item.expiresAt });
      else answers.push({ id: item.id, response: item.response });
    }
    const result = await this.db().execute(sql`
      with answered as (${answerRows(answers, WITHOUT_WAL_FLUSH)})
      ${claimRows(claims, WITHOUT_WAL_FLUSH)}`);
    this.counted(claims.length);
    // The same signature twice in one batch: the first copy claimed it, the second is its retry.
    const claimed = new Set(rowsOf<{ signature: string }>(result).map((row) => row.signature));
    return items.map((item) => settledValue(item.kind === 'answer' || claimed.delete(item.id)));
  }

  /** Every so many claims, the expired ones are deleted (their signatures are refused by their timestamp anyway). */
  private counted(claims: number): void {
    this.insertsSincePrune += claims;
    if (this.insertsSincePrune < 500) return;
    this.insertsSincePrune = 0;
    void this.db()
      .delete(apiReplayGuard)
      .where(lt(apiReplayGuard.expiresAt, new Date()))
      .catch(() => undefined);
  }

  /** Forgets a claim whose request was not decided (the database went away): a retry runs afresh. */
  async release(keyId: string, signature: string): Promise<void> {
    await this.db()
      .delete(apiReplayGuard)
      .where(eq(apiReplayGuard.signature, `${keyId}:${signature}`));
  }

  /**
   * The first request's answer for a retry; when the first is still running (two copies sent at
   * once), waits for it a few seconds. Null if it never came (the first process died mid-way).
   */
  async firstResponse(keyId: string, signature: string): Promise<StoredResponse | null> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const [row] = await this.db()
        .select({ status: apiReplayGuard.responseStatus, body: apiReplayGuard.responseBody })
        .from(apiReplayGuard)
        .where(and(eq(apiReplayGuard.signature, `${keyId}:${signature}`), isNotNull(apiReplayGuard.responseStatus)));
      if (row?.status != null && row.body != null) return { status: row.status, body: JSON.parse(row.body) as Record<string, unknown> };
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
