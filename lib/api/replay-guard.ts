import { and, eq, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiReplayGuard } from '@/db/schema';

export interface StoredResponse {
  status: number;
  body: Record<string, unknown>;
}

const POLL_MS = 25;
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

  constructor(
    private readonly db: () => Db,
    private readonly windowSeconds: number,
  ) {}

  /** True for the first request with this signature: it runs, and `settle` records its answer. */
  async claim(keyId: string, signature: string, now = new Date()): Promise<boolean> {
    const rows = await this.db()
      .insert(apiReplayGuard)
      .values({ signature: `${keyId}:${signature}`, expiresAt: new Date(now.getTime() + 2 * this.windowSeconds * 1000) })
      .onConflictDoNothing()
      .returning({ signature: apiReplayGuard.signature });
    if (++this.insertsSincePrune >= 500) {
      this.insertsSincePrune = 0;
      await this.db().delete(apiReplayGuard).where(lt(apiReplayGuard.expiresAt, now));
    }
    return rows.length === 1;
  }

  async settle(keyId: string, signature: string, response: StoredResponse): Promise<void> {
    await this.db()
      .update(apiReplayGuard)
      .set({ responseStatus: response.status, responseBody: JSON.stringify(response.body) })
      .where(eq(apiReplayGuard.signature, `${keyId}:${signature}`));
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
