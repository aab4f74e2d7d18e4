import { and, eq, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiReplayGuard } from '@/db/schema';
import { rowsOf } from '@/db/client';
import { GroupCommit, settledValue } from '@/lib/platform/group-commit';

export interface StoredResponse {
  status: number;
  body: Record<string, unknown>;
}

const POLL_MS = 25;
const ALL = 'all';
const WAIT_FOR_FIRST_MS = 5_000;

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
  // Under load, the claims (and the answers) of concurrent requests share one statement.
  private readonly claims = new GroupCommit<typeof ALL, { id: string; expiresAt: Date }, boolean>((_, items) => this.claimAll(items));
  private readonly answers = new GroupCommit<typeof ALL, { id: string; response: StoredResponse }, void>((_, items) =>
    this.settleAll(items),
  );

  constructor(
    private readonly db: () => Db,
    private readonly windowSeconds: number,
  ) {}

  /** True for the first request with this signature: it runs, and `settle` records its answer. */
  claim(keyId: string, signature: string, now = new Date()): Promise<boolean> {
    return this.claims.run(ALL, { id: `${keyId}:${signature}`, expiresAt: new Date(now.getTime() + 2 * this.windowSeconds * 1000) });
  }

  settle(keyId: string, signature: string, response: StoredResponse): Promise<void> {
    return this.answers.run(ALL, { id: `${keyId}:${signature}`, response });
  }

  // Neither statement waits for its own WAL flush (synchronous_commit off for its transaction
  // alone). A claim is only needed by the effect it guards, and that effect commits after it,
  // synchronously: flushing the effect's commit flushes the earlier claim with it. Without an
  // effect, a claim lost in a crash lets the retry run — which is right. A lost answer makes a
  // retry wait, as it would had the process died before settling.
  private async claimAll(items: { id: string; expiresAt: Date }[]) {
    const claims = items.map((item) => ({ id: item.id, expires: item.expiresAt.toISOString() }));
    const result = await this.db().execute(sql`
      insert into ${apiReplayGuard} (signature, expires_at)
      select c.id, c.expires from jsonb_to_recordset(${JSON.stringify(claims)}::jsonb) as c(id text, expires timestamptz)
      where set_config('synchronous_commit', 'off', true) is not null
      on conflict do nothing
      returning signature`);
    this.insertsSincePrune += items.length;
    if (this.insertsSincePrune >= 500) {
      this.insertsSincePrune = 0;
      void this.db()
        .delete(apiReplayGuard)
        .where(lt(apiReplayGuard.expiresAt, new Date()))
        .catch(() => undefined);
    }
    // The same signature twice in one batch: the first copy claimed it, the second is its retry.
    const claimed = new Set(rowsOf<{ signature: string }>(result).map((row) => row.signature));
    return items.map((item) => settledValue(claimed.delete(item.id)));
  }

  private async settleAll(items: { id: string; response: StoredResponse }[]) {
    const answers = items.map(({ id, response }) => ({ id, status: response.status, body: JSON.stringify(response.body) }));
    await this.db().execute(sql`
      update ${apiReplayGuard} set response_status = a.status, response_body = a.body
      from jsonb_to_recordset(${JSON.stringify(answers)}::jsonb) as a(id text, status integer, body text)
      where ${apiReplayGuard.signature} = a.id and set_config('synchronous_commit', 'off', true) is not null`);
    return items.map(() => settledValue(undefined));
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
