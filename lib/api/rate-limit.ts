import { lt, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiRateWindows } from '@/db/schema';
import type { Awaitable } from '@/lib/platform/awaitable';
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
const ALLOWED: RateDecision = Object.freeze({ ok: true });
const refused = (windowStart: number, now: number): RateDecision => ({
  ok: false,
  retryAfterSeconds: Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000)),
});

/** One key's minute in this process: requests leased and not yet spent, and whether the minute is used up. */
interface Window {
  start: number;
  left: number;
  exhausted: boolean;
  refill: Promise<void> | null;
}

/**
 * The count lives in the database so every app process shares one limit. To keep a write off
 * most requests, a process leases a few requests at a time from the shared counter and spends
 * them locally; leases never exceed the limit, so the limit holds across processes (at worst a
 * process refuses while another still holds a few unspent requests). Concurrent requests that
 * find the lease spent wait for ONE refill and share it, and once the database says the minute is
 * used up this process refuses the key locally until the next minute: a refused request costs no
 * write.
 */
export class RateLimiter {
  private local = new Map<string, Window>();

  constructor(
    private readonly db: () => Db,
    readonly limit = rateLimitPerMinute,
  ) {}

  /** A decision now (no promise) while this process's lease has calls left; else after leasing more. */
  take(keyId: string, now = Date.now()): Awaitable<RateDecision> {
    const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    const window = this.windowOf(keyId, start);
    if (window.left > 0) {
      window.left--;
      return ALLOWED;
    }
    if (window.exhausted) return refused(start, now);
    return this.takeLeasing(keyId, now, start);
  }

  private async takeLeasing(keyId: string, now: number, start: number): Promise<RateDecision> {
    for (;;) {
      const window = this.windowOf(keyId, start);
      if (window.left > 0) {
        window.left--;
        return ALLOWED;
      }
      if (window.exhausted) return refused(start, now);
      window.refill ??= this.lease(keyId, window).finally(() => {
        window.refill = null;
      });
      await window.refill;
    }
  }

  private windowOf(keyId: string, start: number): Window {
    const current = this.local.get(keyId);
    if (current && current.start === start) return current;
    if (this.local.size > 100_000) this.local.clear();
    const fresh: Window = { start, left: 0, exhausted: false, refill: null };
    this.local.set(keyId, fresh);
    return fresh;
  }

  private async lease(keyId: string, window: Window): Promise<void> {
    const limit = this.limit();
    const want = Math.min(leaseSize(limit), limit);
    const [row] = await this.db()
      .insert(apiRateWindows)
      .values({ apiKeyId: keyId, windowStart: new Date(window.start), used: want })
      .onConflictDoUpdate({
        target: [apiRateWindows.apiKeyId, apiRateWindows.windowStart],
        set: { used: sql`${apiRateWindows.used} + ${want}` },
      })
      .returning({ used: apiRateWindows.used });
    const granted = Math.max(0, Math.min(want, limit - (row.used - want)));
    // Added, never assigned: a lease must not overwrite requests still unspent.
    window.left += granted;
    if (granted < want) window.exhausted = true;
  }

  /** Old windows are useless: drop them now and then. */
  async prune(now = Date.now()): Promise<void> {
    await this.db()
      .delete(apiRateWindows)
      .where(lt(apiRateWindows.windowStart, new Date(now - 2 * WINDOW_MS)));
  }
}
