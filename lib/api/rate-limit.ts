import { lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiRateWindows } from '@/db/schema';
import { apiRateLimitPerMinute } from '@/lib/platform/config';

const WINDOW_MS = 60_000;

/**
 * How many requests a process takes from the shared counter at a time: a thirtieth of the limit
 * (10 of the default 300), so the writes per key stay near 30 a minute whatever the limit, and a
 * process never holds more than a thirtieth of a key's minute unspent.
 */
export function leaseSize(limit: number): number {
  return Math.max(1, Math.min(1000, Math.floor(limit / 30)));
}

/** Requests per key per minute, shared by REST and WebSocket; `KEYDESK_API_RATE_LIMIT` overrides. */
function rateLimitPerMinute(): number {
  return apiRateLimitPerMinute();
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * The count lives in the database so every app process shares one limit. To keep a write off
 * most requests, a process leases a few requests at a time from the shared counter and spends
 * them locally; leases never exceed the limit, so the limit holds across processes (at worst a
 * process refuses while another still holds a few unspent requests).
 */
export class RateLimiter {
  private local = new Map<string, { window: number; left: number }>();

  constructor(
    private readonly db: () => Db,
    private readonly limit = rateLimitPerMinute,
  ) {}

  async take(keyId: string, now = Date.now()): Promise<RateDecision> {
    const window = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    const state = this.local.get(keyId);
    if (state && state.window === window && state.left > 0) {
      state.left--;
      return { ok: true };
    }
    const limit = this.limit();
    const want = Math.min(leaseSize(limit), limit);
    const [row] = await this.db()
      .insert(apiRateWindows)
      .values({ apiKeyId: keyId, windowStart: new Date(window), used: want })
      .onConflictDoUpdate({
        target: [apiRateWindows.apiKeyId, apiRateWindows.windowStart],
        set: { used: sql`${apiRateWindows.used} + ${want}` },
      })
      .returning({ used: apiRateWindows.used });
    const before = row.used - want;
    const granted = Math.max(0, Math.min(want, limit - before));
    if (granted === 0) {
      this.local.set(keyId, { window, left: 0 });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window + WINDOW_MS - now) / 1000)) };
    }
    this.local.set(keyId, { window, left: granted - 1 });
    if (this.local.size > 100_000) this.local.clear();
    return { ok: true };
  }

  /** Old windows are useless: drop them now and then. */
  async prune(now = Date.now()): Promise<void> {
    await this.db()
      .delete(apiRateWindows)
      .where(lt(apiRateWindows.windowStart, new Date(now - 2 * WINDOW_MS)));
  }
}
