import { lt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiReplayGuard } from '@/db/schema';

/**
 * A mutating request is accepted once: its signature is remembered (in the database, for every
 * process) until its timestamp leaves the allowed window, after which it is refused anyway.
 */
export class ReplayGuard {
  private insertsSincePrune = 0;

  constructor(
    private readonly db: () => Db,
    private readonly windowSeconds: number,
  ) {}

  async firstUse(keyId: string, signature: string, now = new Date()): Promise<boolean> {
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
}
