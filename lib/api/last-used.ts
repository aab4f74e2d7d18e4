import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiKeys } from '@/db/schema';
import { errorText, log } from '@/lib/platform/log';

const FLUSH_EVERY_MS = 5_000;

/**
 * Last use (time, IP) of each key, remembered in memory on every call and written at most once
 * per key per flush interval, so the hot path never waits for a write.
 */
export class LastUsedTracker {
  private pending = new Map<string, { at: Date; ip: string | null }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: () => Db) {}

  record(keyId: string, ip: string | null, at = new Date()): void {
    this.pending.set(keyId, { at, ip });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    this.timer = null;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [keyId, use] of batch) {
      try {
        await this.db().update(apiKeys).set({ lastUsedAt: use.at, lastUsedIp: use.ip }).where(eq(apiKeys.id, keyId));
      } catch (error) {
        log.error({ err: errorText(error) }, 'could not record the last use of keys');
      }
    }
  }
}
